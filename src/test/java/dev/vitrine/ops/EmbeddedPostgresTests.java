package dev.vitrine.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresTests {

	@Test
	void aSecondStartOnTheSameDataInOneProcessIsRefusedAndTheFirstKeepsItsLock() throws Exception {
		Path data = TestDirectories.fresh("embedded-twice");
		try (EmbeddedPostgres first = EmbeddedPostgres.start(data, 0)) {
			Path otherSpelling = Files.createSymbolicLink(data.resolveSibling(data.getFileName() + "-link"), data);
			assertThatThrownBy(() -> EmbeddedPostgres.start(otherSpelling, 0)).as("through a symbolic link")
				.isInstanceOf(EmbeddedDatabaseInUse.class);
			assertThatThrownBy(() -> EmbeddedPostgres.start(data, 0)).isInstanceOfSatisfying(
					EmbeddedDatabaseInUse.class,
					(refused) -> assertThat(refused.holder()).isEqualTo(EmbeddedDatabaseInUse.Holder.THIS_PROCESS));

			// another process, as an export or a second app would: the lock must hold
			Process probe = new ProcessBuilder("python3", "-c",
					"import fcntl, sys; fcntl.lockf(open(sys.argv[1], 'a'), fcntl.LOCK_EX | fcntl.LOCK_NB)",
					data.resolve("postgres.lock").toString())
				.redirectErrorStream(true)
				.start();
			assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(probe.exitValue()).as("another process's lock of the data directory, refused").isNotZero();
		}
	}

}
