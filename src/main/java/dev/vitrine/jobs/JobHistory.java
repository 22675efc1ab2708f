package dev.vitrine.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code job_run} table: one row per attempt, kept after the engine has forgotten the
 * job.
 */
class JobHistory {

	private final JdbcClient jdbc;

	JobHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(Attempt attempt) {
		this.jdbc.sql("""
				INSERT INTO job_run (job_id, job_type, payload, attempt, outcome, retry_at, worker,
				                     enqueued_at, started_at, finished_at, duration_ms, error, stack_trace)
				VALUES (:jobId, :type, CAST(:payload AS jsonb), :attempt, :outcome, :retryAt, :worker,
				        :enqueuedAt, :startedAt, :finishedAt, :durationMs, :error, :stackTrace)
				""")
			.param("jobId", attempt.id().key())
			.param("type", attempt.id().type())
			.param("payload", attempt.payloadJson())
			.param("attempt", attempt.attempt())
			.param("outcome", attempt.outcome())
			.param("retryAt", timestamp(attempt.retryAt()))
			.param("worker", attempt.worker())
			.param("enqueuedAt", timestamp(attempt.enqueuedAt()))
			.param("startedAt", timestamp(attempt.startedAt()))
			.param("finishedAt", timestamp(attempt.finishedAt()))
			.param("durationMs",
					(attempt.startedAt() != null)
							? attempt.finishedAt().toEpochMilli() - attempt.startedAt().toEpochMilli() : null)
			.param("error", attempt.error())
			.param("stackTrace", attempt.stackTrace())
			.update();
	}

	/** The job's most recent attempt, if it has run or been cancelled. */
	Optional<LastAttempt> last(JobId id) {
		return this.jdbc.sql("""
				SELECT outcome, retry_at IS NOT NULL AS will_retry, payload::text AS payload
				FROM job_run WHERE job_type = :type AND job_id = :key
				ORDER BY id DESC LIMIT 1
				""")
			.param("type", id.type())
			.param("key", id.key())
			.query((rs, row) -> new LastAttempt(rs.getString("outcome"), rs.getBoolean("will_retry"),
					rs.getString("payload")))
			.optional();
	}

	int deleteFinishedBefore(Instant cutoff) {
		return this.jdbc.sql("DELETE FROM job_run WHERE finished_at < :cutoff")
			.param("cutoff", timestamp(cutoff))
			.update();
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	/**
	 * One attempt, as recorded.
	 *
	 * @param outcome {@code succeeded}, {@code failed} or {@code cancelled}
	 * @param retryAt when the next attempt runs; null if this one was the last
	 */
	record Attempt(JobId id, String payloadJson, int attempt, String outcome, Instant retryAt, String worker,
			Instant enqueuedAt, Instant startedAt, Instant finishedAt, String error, String stackTrace) {
	}

	record LastAttempt(String outcome, boolean willRetry, String payloadJson) {

		boolean isFinal() {
			return "cancelled".equals(this.outcome) || ("failed".equals(this.outcome) && !this.willRetry);
		}

	}

}
