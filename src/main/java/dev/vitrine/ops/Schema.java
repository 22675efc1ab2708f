package dev.vitrine.ops;

/**
 * The database schema as this process's code needs it. Processes that migrate (worker,
 * scheduler, the embedded default, one-off commands) run Flyway before anything else and
 * so always have it; a web or monitor process on an external database does not migrate:
 * it checks the schema's version and, while it is behind, waits (readiness DOWN, pages
 * answered 503) until the process that migrates has brought it up to date.
 */
public interface Schema {

	/**
	 * Runs the task at once when the schema is at the version this code expects (or
	 * newer: a rollback), otherwise once it is, on another thread.
	 * @param what what the task does, for the log if it fails
	 */
	void whenCurrent(String what, Runnable task);

}
