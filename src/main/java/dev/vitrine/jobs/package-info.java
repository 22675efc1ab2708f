/**
 * Background jobs on PostgreSQL, on our own engine. Other modules declare a
 * {@link dev.vitrine.jobs.JobType} with a payload record (as a bean, so every process
 * knows it) and a {@link dev.vitrine.jobs.JobHandler} bean where it runs, and enqueue
 * through {@link dev.vitrine.jobs.Jobs}, inside their own transaction. Processes with the
 * worker role claim jobs in batches ({@code JobTable}), run the handlers
 * ({@code JobWorker}) and write outcomes in batches fenced by each claim's version;
 * leases are renewed by one heartbeat per worker (a killed worker's jobs run again
 * elsewhere, its attempt counted), failures are retried with exponential backoff and
 * jitter, attempts are bounded by a timeout and a per-type concurrency limit, and every
 * attempt is kept in the {@code job_run} history. Schedules fire from the scheduler role.
 * This module knows nothing of the domain.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs", allowedDependencies = { "ops" })
package dev.vitrine.jobs;
