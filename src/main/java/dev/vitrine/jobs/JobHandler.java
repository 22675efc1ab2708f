package dev.vitrine.jobs;

/**
 * Runs jobs of one type. Register an implementation as a Spring bean; worker processes
 * call it. A job may run more than once (a worker can die after the work but before
 * recording it), so make {@link #handle} idempotent, keyed on {@link JobContext#jobId()}.
 * Throwing fails the attempt; it is retried until the type's {@code maxAttempts}.
 *
 * @param <P> the payload type
 */
public interface JobHandler<P> {

	JobType<P> type();

	void handle(P payload, JobContext context) throws Exception;

}
