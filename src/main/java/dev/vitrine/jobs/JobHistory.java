package dev.vitrine.jobs;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code job_run} table (one row per attempt, kept after the job has left the
 * {@code job} table) and its per-minute counts in {@code job_minute}: what retention
 * trims.
 */
class JobHistory {

	/** Rows one delete removes: small enough to keep each transaction short. */
	static final int DELETE_BATCH = 10_000;

	private final JdbcClient jdbc;

	JobHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Deletes attempts finished before {@code cutoff}, in batches of
	 * {@link #DELETE_BATCH} by id so that each is an index range, and the per-minute
	 * counts older than a day. Returns how many attempts.
	 */
	long deleteFinishedBefore(Instant cutoff) {
		long deleted = 0;
		int batch;
		do {
			batch = this.jdbc.sql("""
					DELETE FROM job_run
					WHERE id IN (SELECT id FROM job_run WHERE finished_at < :cutoff ORDER BY id LIMIT :batch)
					""").param("cutoff", Timestamp.from(cutoff)).param("batch", DELETE_BATCH).update();
			deleted += batch;
		}
		while (batch == DELETE_BATCH);
		this.jdbc.sql("DELETE FROM job_minute WHERE minute < now() - interval '1 day'").update();
		return deleted;
	}

}
