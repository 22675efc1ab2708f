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

	EmbeddedDatabaseInUse(Path directory, Holder holder) {
		super("The embedded database in " + directory + " is in use by "
				+ ((holder == Holder.THIS_PROCESS) ? "this process already" : "another Vitrine process"));
		this.directory = directory;
		this.holder = holder;
	}

	Path directory() {
		return this.directory;
	}

	Holder holder() {
		return this.holder;
	}

	/** Who runs the server on the directory. */
	enum Holder {

		/** A second start in one JVM: two application contexts, in a test, say. */
		THIS_PROCESS,

		ANOTHER_PROCESS

	}

}
