package dev.vitrine.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

	@Test
	void aLockFileWhoseNumberAnotherProcessHasSinceIsRemovedAndThatProcessLeftAlone() throws Exception {
		Path data = TestDirectories.fresh("embedded-stale-lock");
		try (EmbeddedPostgres first = EmbeddedPostgres.start(data, 0)) {
			// made, and stopped cleanly
		}
		// after a reboot: the lock file of a server that is gone, its number another
		// process's of this user (pg_ctl stop would signal it; PostgreSQL would refuse)
		// as the server's user: as root, nobody (as the server runs), so pg_ctl could
		// signal it
		List<String> sleep = new ArrayList<>(List.of("sleep", "300"));
		if ("root".equals(System.getProperty("user.name"))) {
			sleep.addAll(0, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
		}
		Process other = new ProcessBuilder(sleep).start();
		try {
			Path pidFile = data.resolve("postgres/postmaster.pid");
			Files.writeString(pidFile, other.pid() + "\n" + data.resolve("postgres") + "\n1764700000\n5432\n/tmp\n"
					+ "127.0.0.1\n  5432001         0\nready   \n");

			try (EmbeddedPostgres again = EmbeddedPostgres.start(data, 0);
					var connection = java.sql.DriverManager.getConnection(again.jdbcUrl(), EmbeddedPostgres.SUPERUSER,
							again.password())) {
				assertThat(connection.isValid(5)).isTrue();
			}
			assertThat(other.isAlive()).as("the process that has the number now, not signalled").isTrue();
		}
		finally {
			other.destroyForcibly();
		}
	}

	@Test
	void aLockFileNamingAServerItCannotPlaceIsLeftToPostgresqlAndItsProcessAlone() throws Exception {
		Path data = TestDirectories.fresh("embedded-unknown-lock");
		try (EmbeddedPostgres first = EmbeddedPostgres.start(data, 0)) {
			// made, and stopped cleanly
		}
		// a process that calls itself postgres and names no data directory: not one to
		// stop, nor to take the lock file from
		List<String> command = new ArrayList<>(List.of("bash", "-c", "exec -a postgres sleep 300"));
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(0, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
		}
		Process other = new ProcessBuilder(command).start();
		try {
			Path pidFile = data.resolve("postgres/postmaster.pid");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.readString(Path.of("/proc", Long.toString(other.pid()), "cmdline"))
					.startsWith("postgres\0"));
			Files.writeString(pidFile, other.pid() + "\n" + data.resolve("postgres") + "\n1764700000\n5432\n/tmp\n"
					+ "127.0.0.1\n  5432001         0\nready   \n");

			// PostgreSQL's own check refuses it: a process of its user has the number
			assertThatThrownBy(() -> EmbeddedPostgres.start(data, 0).close()).hasMessageContaining("postmaster.pid");
			assertThat(other.isAlive()).as("not signalled").isTrue();
			assertThat(pidFile).as("the lock file, kept").exists();
		}
		finally {
			other.destroyForcibly();
		}
	}

}
