package dev.vitrine.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one attempt of a job and decides what happens next: the job's state machine in one
 * place. An attempt either succeeds (recorded, job removed), is deferred because its type
 * is at its concurrency limit (not an attempt), or fails (recorded with the error;
 * retried after a backoff, or ended {@code failed} once the type's attempts are used up
 * or the payload cannot be read at all).
 */
class JobRunner {

	private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

	private final JsonMapper json;

	private final JobHistory history;

	private final JobMetrics metrics;

	private final String workerName;

	private final ScheduledExecutorService timeouts;

	JobRunner(JsonMapper json, JobHistory history, JobMetrics metrics, String workerName,
			ScheduledExecutorService timeouts) {
		this.json = json;
		this.history = history;
		this.metrics = metrics;
		this.workerName = workerName;
		this.timeouts = timeouts;
	}

	/** The engine's task for a handler. */
	<P> Task<JobData> task(JobHandler<P> handler) {
		JobType<P> type = handler.type();
		this.metrics.register(type);
		Semaphore slots = new Semaphore(type.concurrency());
		return Tasks.custom(type.name(), JobData.class)
			.onFailure((complete, operations) -> onFailure(type, complete, operations))
			.onDeadExecution(new DeadExecutionHandler.ReviveDeadExecution<>())
			.execute((instance, context) -> {
				try {
					return run(handler, slots, instance, context.getExecution());
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new CheckedFailure(ex);
				}
			});
	}

	private <P> CompletionHandler<JobData> run(JobHandler<P> handler, Semaphore slots, TaskInstance<JobData> instance,
			Execution execution) throws Exception {
		JobType<P> type = handler.type();
		JobData data = readData(instance);
		if (!slots.tryAcquire()) {
			Instant later = Instant.now().plusMillis(50 + ThreadLocalRandom.current().nextInt(200));
			return (complete, operations) -> operations.reschedule(complete, later, data);
		}
		try {
			JobId id = new JobId(instance.getTaskName(), instance.getId());
			int attempt = data.attempts() + 1;
			Instant started = Instant.now();
			Instant due = data.enqueuedAt().isAfter(execution.executionTime) ? data.enqueuedAt()
					: execution.executionTime;
			this.metrics.started(type, Duration.between(due, started));
			P payload = readPayload(type, data);
			runWithTimeout(type, () -> handler.handle(payload, new JobContext(id, attempt)));
			Instant finished = Instant.now();
			this.history.record(new JobHistory.Attempt(id, data.payload().toString(), attempt, "succeeded", null,
					this.workerName, data.enqueuedAt(), started, finished, null, null));
			this.metrics.succeeded(type, Duration.between(started, finished));
			return (complete, operations) -> operations.remove();
		}
		finally {
			slots.release();
		}
	}

	private void onFailure(JobType<?> type, ExecutionComplete complete, ExecutionOperations<JobData> operations) {
		Execution execution = complete.getExecution();
		JobId id = new JobId(execution.getTaskName(), execution.getId());
		Throwable cause = complete.getCause()
			.map((thrown) -> (thrown instanceof CheckedFailure) ? thrown.getCause() : thrown)
			.orElse(null);
		JobData data = null;
		try {
			data = (JobData) execution.taskInstance.getData();
		}
		catch (RuntimeException ex) {
			cause = new UnreadableJobException("the stored job data cannot be read: " + ex.getMessage(), ex);
		}
		int attempt = (data != null) ? data.attempts() + 1 : 1;
		boolean retry = data != null && !(cause instanceof UnreadableJobException) && attempt < type.maxAttempts();
		Instant finished = complete.getTimeDone();
		Instant retryAt = retry ? finished.plus(type.backoffAfter(attempt, ThreadLocalRandom.current().nextDouble()))
				: null;
		this.history.record(new JobHistory.Attempt(id, (data != null) ? data.payload().toString() : null, attempt,
				"failed", retryAt, this.workerName, (data != null) ? data.enqueuedAt() : finished,
				finished.minus(complete.getDuration()), finished, message(cause), stackTrace(cause)));
		if (retry) {
			log.info("Job {} attempt {} of {} failed ({}); retrying at {}", id, attempt, type.maxAttempts(),
					message(cause), retryAt);
			operations.reschedule(complete, retryAt, data.nextAttempt());
			this.metrics.retried(type);
		}
		else {
			log.warn("Job {} failed after attempt {} of {}: {}", id, attempt, type.maxAttempts(), message(cause));
			operations.remove();
			this.metrics.failed(type);
		}
	}

	private static JobData readData(TaskInstance<JobData> instance) {
		try {
			return instance.getData();
		}
		catch (RuntimeException ex) {
			throw new UnreadableJobException("the stored job data cannot be read: " + ex.getMessage(), ex);
		}
	}

	private <P> P readPayload(JobType<P> type, JobData data) {
		try {
			return this.json.treeToValue(data.payload(), type.payloadType());
		}
		catch (JacksonException ex) {
			throw new UnreadableJobException(
					"the payload does not fit " + type.payloadType().getSimpleName() + ": " + ex.getOriginalMessage(),
					ex);
		}
	}

	/**
	 * Interrupts the handler at the type's timeout. A handler that ignores the interrupt
	 * still has its attempt counted as failed when it returns.
	 */
	private void runWithTimeout(JobType<?> type, Work work) throws Exception {
		Thread worker = Thread.currentThread();
		AtomicBoolean timedOut = new AtomicBoolean();
		ScheduledFuture<?> alarm = this.timeouts.schedule(() -> {
			timedOut.set(true);
			worker.interrupt();
		}, type.timeout().toMillis(), TimeUnit.MILLISECONDS);
		try {
			work.run();
		}
		catch (Exception ex) {
			if (timedOut.get()) {
				throw new JobTimeoutException(type.timeout(), ex);
			}
			throw ex;
		}
		finally {
			alarm.cancel(false);
			// an interrupt that arrives as the handler returns must not hit the engine's
			// own work
			Thread.interrupted();
		}
		if (timedOut.get()) {
			throw new JobTimeoutException(type.timeout(), null);
		}
	}

	private static String message(Throwable cause) {
		if (cause == null) {
			return "failed without an exception";
		}
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
	}

	private static String stackTrace(Throwable cause) {
		if (cause == null) {
			return null;
		}
		StringWriter trace = new StringWriter();
		cause.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	@FunctionalInterface
	private interface Work {

		void run() throws Exception;

	}

	/**
	 * Carries a handler's checked exception through the engine, which takes only
	 * unchecked ones.
	 */
	private static final class CheckedFailure extends RuntimeException {

		CheckedFailure(Exception cause) {
			super(cause);
		}

	}

	/** A job whose data or payload cannot be read: retrying cannot help. */
	static class UnreadableJobException extends RuntimeException {

		UnreadableJobException(String message, Throwable cause) {
			super(message, cause);
		}

	}

	static class JobTimeoutException extends RuntimeException {

		JobTimeoutException(Duration timeout, Throwable cause) {
			super("timed out after " + timeout.toMillis() + " ms", cause);
		}

	}

}
