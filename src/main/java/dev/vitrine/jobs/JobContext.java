package dev.vitrine.jobs;

import java.time.Instant;

/**
 * What a handler knows about the job it runs, and how it learns that it should stop.
 * <p>
 * A handler stops early by returning or by throwing; one that runs long should check
 * {@link #shouldStop()} between steps. The thread is also interrupted when the attempt
 * passes its deadline or is cancelled, so blocking calls that honour interrupts end by
 * themselves. A handler that ignores both keeps its thread and its lease, and makes its
 * worker's readiness DOWN until it returns.
 */
public interface JobContext {

	/** The job's id: the same on every attempt, so use it as an idempotency key. */
	JobId jobId();

	/** 1 for the first attempt. */
	int attempt();

	/**
	 * When this attempt is interrupted and counts as failed: start plus the type's
	 * timeout.
	 */
	Instant deadline();

	/**
	 * True once an operator has cancelled this job while it runs; the attempt then ends
	 * {@code cancelled} whatever the handler does, and is not retried.
	 */
	boolean isCancelled();

	/**
	 * True once the worker is shutting down: finish within the shutdown grace, or stop
	 * and throw {@link JobOutcome#snooze} so that another worker runs the job without
	 * using an attempt.
	 */
	boolean isShuttingDown();

	/**
	 * True when the handler should stop: cancelled, past its deadline, or shutting down.
	 */
	default boolean shouldStop() {
		return isCancelled() || isShuttingDown() || !Instant.now().isBefore(deadline());
	}

}
