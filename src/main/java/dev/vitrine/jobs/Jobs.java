package dev.vitrine.jobs;

import java.time.Instant;

/**
 * Enqueues background jobs. Every method joins the caller's transaction: when it rolls
 * back, there is no job. Workers in any process see a committed job within milliseconds.
 */
public interface Jobs {

	/** Runs the job as soon as a worker is free. */
	<P> JobId enqueue(JobType<P> type, P payload);

	/** Runs the job at or after {@code runAt}. */
	<P> JobId enqueueAt(Instant runAt, JobType<P> type, P payload);

	/**
	 * Enqueues unless a job of this type with the same key is still pending or running;
	 * then returns that job's id and enqueues nothing.
	 */
	<P> JobId enqueueUnique(JobType<P> type, P payload, String deduplicationKey);

	/**
	 * Runs a failed or cancelled job again with its last payload, from attempt 1.
	 * @throws IllegalStateException when the job is unknown, pending or running
	 */
	void retry(JobId id);

	/**
	 * Cancels a job that has not started; it is kept in the history as {@code cancelled}.
	 * @throws IllegalStateException when the job is unknown or running
	 */
	void cancel(JobId id);

}
