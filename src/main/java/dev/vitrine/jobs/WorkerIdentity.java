package dev.vitrine.jobs;

/**
 * Who a worker process is, as its row in {@code job_worker} and the monitor show it.
 *
 * @param name unique per process: the lease owner (see
 * {@link JobsConfiguration#workerName()})
 * @param roles the process's roles as configured, e.g. {@code web,worker}
 * @param revision the source revision it runs
 */
record WorkerIdentity(String name, String roles, String revision) {
}
