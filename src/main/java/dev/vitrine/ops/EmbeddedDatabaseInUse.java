package dev.vitrine.ops;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded database's data directory is held by another process: an app left running
 * (in another terminal, say) while its owner starts a second one or runs {@code export},
 * which the README asks to do with the app stopped.
 */
final class EmbeddedDatabaseInUse extends IOException {

	private final Path directory;

	EmbeddedDatabaseInUse(Path directory) {
		super("The embedded database in " + directory
				+ " is in use by another Vitrine process; stop that one, or set VITRINE_DATA_DIR to another directory");
		this.directory = directory;
	}

	Path directory() {
		return this.directory;
	}

}
