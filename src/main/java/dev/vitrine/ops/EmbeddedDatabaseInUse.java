package dev.vitrine.ops;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded database's data directory is held already: by another process (an app left
 * running in another terminal, say, while its owner starts a second one or runs
 * {@code export}, which the README asks to do with the app stopped), or by this one.
 */
final class EmbeddedDatabaseInUse extends IOException {

	private final Path directory;

	private final Holder holder;

	private final long serverPid;

	EmbeddedDatabaseInUse(Path directory, Holder holder) {
		super("The embedded database in " + directory + " is in use by "
				+ ((holder == Holder.THIS_PROCESS) ? "this process already" : "another Vitrine process"));
		this.directory = directory;
		this.holder = holder;
		this.serverPid = 0;
	}

	/**
	 * A server left running by a process that was killed, which did not stop when asked
	 * ({@code reason}, as pg_ctl told it).
	 */
	EmbeddedDatabaseInUse(Path directory, long serverPid, String reason) {
		super("The embedded database in " + directory + " is held by a PostgreSQL server (PID " + serverPid
				+ ") left running by a Vitrine process that did not shut down cleanly, and the server did not stop"
				+ " when asked: " + reason);
		this.directory = directory;
		this.holder = Holder.LEFTOVER_SERVER;
		this.serverPid = serverPid;
	}

	Path directory() {
		return this.directory;
	}

	Holder holder() {
		return this.holder;
	}

	/** The PID of a {@link Holder#LEFTOVER_SERVER}, else 0. */
	long serverPid() {
		return this.serverPid;
	}

	/** Who runs the server on the directory. */
	enum Holder {

		/** A second start in one JVM: two application contexts, in a test, say. */
		THIS_PROCESS,

		ANOTHER_PROCESS,

		/**
		 * No Vitrine process: the server of one that was killed, still running (hung, or
		 * slow to stop).
		 */
		LEFTOVER_SERVER

	}

}
