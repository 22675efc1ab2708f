/**
 * Background jobs on PostgreSQL. Other modules declare a {@link dev.vitrine.jobs.JobType}
 * with a payload record and a {@link dev.vitrine.jobs.JobHandler} bean, and enqueue
 * through {@link dev.vitrine.jobs.Jobs}, inside their own transaction. Processes with the
 * worker role run the handlers: jobs are leased with heartbeats (a killed worker's jobs
 * run again elsewhere), retried with exponential backoff and jitter, bounded by a timeout
 * and a per-type concurrency limit, and every attempt is kept in the {@code job_run}
 * history. The engine (db-scheduler) stays behind this API; this module knows nothing of
 * the domain.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs")
package dev.vitrine.jobs;
