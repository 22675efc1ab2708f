package dev.vitrine.jobs;

import java.time.Duration;

/**
 * A job that only waits (and fails if asked): for checking a deployment's job pipeline
 * end to end, and for benchmarks. Its handler is always registered.
 *
 * @param workMillis how long the job works (sleeps)
 * @param fail whether each attempt fails after working
 */
public record DiagnosticJob(long workMillis, boolean fail) {

	public static final JobType<DiagnosticJob> TYPE = JobType.of("jobs.diagnostic", DiagnosticJob.class)
		.queue("diagnostics")
		.maxAttempts(3)
		.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
		.timeout(Duration.ofMinutes(1))
		.concurrency(256);

}
