package dev.vitrine.jobs;

/**
 * What a handler knows about the job it runs.
 *
 * @param jobId the job's id: the same on every attempt, so use it as an idempotency key
 * @param attempt 1 for the first attempt
 */
public record JobContext(JobId jobId, int attempt) {
}
