package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One attempt of one job, from its claim: waiting for a runner thread, then running on
 * it. The handler's context.
 */
final class JobAttempt implements JobContext {

	private static final Logger log = LoggerFactory.getLogger(JobAttempt.class);

	private final JobTable.Claimed claimed;

	private final JobHandler<?> handler;

	private final Shared shared;

	private final JobId id;

	/** On {@link System#nanoTime()}'s clock. */
	private final long claimedAt = System.nanoTime();

	/** Set when it starts. */
	private volatile Instant deadline;

	/**
	 * The deadline on {@link System#nanoTime()}'s clock; set before {@link #deadline}.
	 */
	private volatile long deadlineNanos;

	private volatile Thread thread;

	// guarded by this
	private boolean started;

	// guarded by this
	private boolean withdrawn;

	private volatile boolean cancelled;

	private volatile boolean timedOut;

	private volatile boolean shuttingDown;

	private volatile boolean lost;

	JobAttempt(JobTable.Claimed claimed, JobHandler<?> handler, Shared shared) {
		this.claimed = claimed;
		this.handler = handler;
		this.shared = shared;
		this.id = new JobId(claimed.type(), claimed.id());
		this.cancelled = claimed.cancelRequested();
	}

	@Override
	public JobId jobId() {
		return this.id;
	}

	@Override
	public int attempt() {
		return this.claimed.attempt();
	}

	@Override
	public Instant deadline() {
		return this.deadline;
	}

	/**
	 * Whether it started and its deadline passed {@code margin} ns before {@code now}.
	 */
	boolean pastDeadline(long now, long margin) {
		return this.deadline != null && now - this.deadlineNanos >= margin;
	}

	@Override
	public boolean isCancelled() {
		return this.cancelled;
	}

	@Override
	public boolean isShuttingDown() {
		return this.shuttingDown;
	}

	JobTable.Claimed claimed() {
		return this.claimed;
	}

	long claimedAt() {
		return this.claimedAt;
	}

	void cancel() {
		if (!this.cancelled) {
			this.cancelled = true;
			log.info("Job {} cancelled by an operator while running: interrupting it", this.id);
			interrupt();
		}
	}

	void timeOut() {
		if (!this.timedOut) {
			this.timedOut = true;
			interrupt();
		}
	}

	void shutdownRequested() {
		this.shuttingDown = true;
	}

	/** Keeps it from starting, if it has not: for a release at shutdown. */
	synchronized boolean withdraw() {
		if (!this.started) {
			this.withdrawn = true;
			return true;
		}
		return false;
	}

	/**
	 * Takes it out of the running set unless its outcome went to the completer: under the
	 * same lock as {@link #record}, so each attempt is either released or written, never
	 * neither.
	 */
	synchronized boolean takeBack() {
		return this.shared.claims().drop(this);
	}

	void leaseLost() {
		if (!this.lost) {
			this.lost = true;
			log.warn("Job {} lost its lease (this worker stalled past it): another worker may run it; "
					+ "this attempt's outcome will not be recorded", this.id);
			interrupt();
		}
	}

	/** Whether a handler runs this job now. */
	synchronized boolean onItsThread() {
		return this.thread != null;
	}

	/**
	 * Interrupts the handler's thread while it runs this job, never after: under the same
	 * lock as the hand-back in {@link #run()}, so no interrupt reaches the next job on
	 * that thread.
	 */
	synchronized void interrupt() {
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	void run() {
		synchronized (this) {
			if (this.withdrawn) {
				return;
			}
			this.started = true;
			this.thread = Thread.currentThread();
		}
		JobType<?> type = this.handler.type();
		Instant started = Instant.now();
		// capped: Duration.toNanos() overflows past 292 years, and a year is never
		// reached anyway
		long timeout = (type.timeout().compareTo(Duration.ofDays(365)) < 0) ? type.timeout().toNanos()
				: Duration.ofDays(365).toNanos();
		this.deadlineNanos = System.nanoTime() + timeout;
		this.deadline = started.plus(type.timeout());
		if (this.lost) {
			// its lease lapsed while it waited for a thread:
			// another worker may run it
			handBack();
			forget();
			return;
		}
		if (this.cancelled) {
			// cancelled before it started: the handler never sees it
			handBack();
			record(type, end(AttemptOutcome.CANCELLED, null, started, null));
			return;
		}
		Instant due = this.claimed.runAt().isAfter(this.claimed.enqueuedAt()) ? this.claimed.runAt()
				: this.claimed.enqueuedAt();
		this.shared.metrics().started(type, Duration.between(due, started));
		JobTable.Finished finished;
		try {
			handle(this.handler);
			finished = (this.cancelled) ? end(AttemptOutcome.CANCELLED, null, started, null)
					: (this.timedOut) ? failure(type, started, new JobTimeoutException(type.timeout(), null))
							: end(AttemptOutcome.SUCCEEDED, null, started, null);
		}
		catch (JobOutcome.Snooze snooze) {
			finished = end(AttemptOutcome.SNOOZED, Instant.now().plus(snooze.delay()), started, snooze);
		}
		catch (JobOutcome.Discard discard) {
			finished = end(AttemptOutcome.DISCARDED, null, started, discard);
		}
		catch (Throwable ex) {
			finished = failed(type, started, ex);
			if (ex instanceof VirtualMachineError error && !(ex instanceof StackOverflowError)) {
				handBack();
				record(type, finished);
				throw error;
			}
		}
		finally {
			handBack();
		}
		record(type, finished);
	}

	private void handBack() {
		synchronized (this) {
			this.thread = null;
		}
		// an interrupt that arrived as the handler returned must not hit the next
		// job on this thread
		Thread.interrupted();
	}

	/**
	 * The outcome of an attempt that threw. Whatever happens while describing it (an
	 * exception whose message throws, say), the attempt ends with an outcome: without one
	 * the job would stay running, its lease renewed, until the process restarts.
	 */
	private JobTable.Finished failed(JobType<?> type, Instant started, Throwable ex) {
		try {
			Throwable cause = (this.timedOut && !(ex instanceof UnreadableJobException))
					? new JobTimeoutException(type.timeout(), ex) : ex;
			return this.cancelled ? end(AttemptOutcome.CANCELLED, null, started, ex) : failure(type, started, cause);
		}
		catch (RuntimeException | LinkageError describing) {
			return new JobTable.Finished(this.claimed.id(), this.claimed.version(), AttemptOutcome.FAILED, null,
					started, Instant.now(), ex.getClass().getName() + " (its message could not be read: "
							+ describing.getClass().getName() + ")",
					null);
		}
	}

	private synchronized void forget() {
		this.shared.claims().drop(this);
	}

	/**
	 * Hands the outcome to the completer, unless shutdown took the job back first: under
	 * the same lock as {@link #takeBack}.
	 */
	private void record(JobType<?> type, JobTable.Finished finished) {
		synchronized (this) {
			if (!this.shared.claims().drop(this)) {
				return;
			}
			if (!this.lost) {
				// a lost claim's write would be fenced out, and the log said so
				this.shared.completer().add(finished);
			}
		}
		this.shared.claims().countFinished();
		this.shared.metrics()
			.finished(type, finished.outcome(), finished.retryAt() != null,
					Duration.between(finished.startedAt(), finished.finishedAt()));
		if (finished.outcome() == AttemptOutcome.FAILED) {
			if (finished.retryAt() != null) {
				log.info("Job {} attempt {} of {} failed ({}); retrying at {}", this.id, attempt(),
						this.claimed.maxAttempts(), finished.error(), finished.retryAt());
			}
			else {
				log.warn("Job {} failed after attempt {} of {}: {}", this.id, attempt(), this.claimed.maxAttempts(),
						finished.error());
			}
		}
		this.shared.slotFreed().run();
	}

	private <P> void handle(JobHandler<P> handler) throws Exception {
		P payload;
		try {
			payload = this.shared.json().readValue(this.claimed.payload(), handler.type().payloadType());
		}
		catch (RuntimeException ex) {
			throw new UnreadableJobException(
					"the payload does not fit " + handler.type().payloadType().getSimpleName() + ": " + ex.getMessage(),
					ex);
		}
		handler.handle(payload, this);
	}

	private JobTable.Finished failure(JobType<?> type, Instant started, Throwable cause) {
		boolean retry = !(cause instanceof UnreadableJobException) && attempt() < this.claimed.maxAttempts();
		Instant retryAt = retry
				? Instant.now().plus(type.backoffAfter(attempt(), ThreadLocalRandom.current().nextDouble())) : null;
		return end(AttemptOutcome.FAILED, retryAt, started, cause);
	}

	private JobTable.Finished end(AttemptOutcome outcome, Instant retryAt, Instant started, Throwable cause) {
		return new JobTable.Finished(this.claimed.id(), this.claimed.version(), outcome, retryAt, started,
				Instant.now(), (cause != null) ? Failures.message(cause) : null,
				(cause != null && outcome == AttemptOutcome.FAILED) ? Failures.stackTrace(cause) : null);
	}

	/**
	 * What the attempts of one worker share: the claims it holds, where outcomes go, its
	 * metrics, the payloads' mapper, and who to tell when a slot is free.
	 */
	record Shared(HeldClaims claims, Completer completer, JobMetrics metrics, JsonMapper json, Runnable slotFreed) {
	}

	/** A job whose payload cannot be read: retrying cannot help. */
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
