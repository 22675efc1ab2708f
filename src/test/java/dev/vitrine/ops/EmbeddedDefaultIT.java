package dev.vitrine.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar started with no database configured runs the embedded PostgreSQL, keeps its
 * data in {@code VITRINE_DATA_DIR} across restarts and stops it on SIGTERM. The server
 * lets in only who has the password kept beside the data (a local user with {@code psql}
 * is refused), upgrades a data directory that trusted every local user, and runs no
 * binaries another user could have planted.
 */
class EmbeddedDefaultIT {

	/**
	 * A first start unpacks the binaries and creates the cluster: slow on a busy machine.
	 */
	private static final Duration START = Duration.ofMinutes(10);

	private static final String DATABASE_LINE = "Database: embedded PostgreSQL [0-9.]+ at (jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/vitrine)";

	/**
	 * A first start with JSON logs, for the tests that only look at it running: one
	 * embedded PostgreSQL cluster made for both instead of one each. It is
	 * {@code java -jar target/vitrine.jar} itself, as the README's first run: the built
	 * jar migrates and serves from its nested libraries.
	 */
	private static Shared shared;

	@BeforeAll
	static void startShared() {
		Path data = TestDirectories.fresh("embedded-shared");
		int port = Http.freePort();
		AppProcess app = AppProcess.startBuiltJar("embedded-shared", Map.of("VITRINE_DATA_DIR", data.toString(),
				"SERVER_PORT", Integer.toString(port), "VITRINE_LOG_FORMAT", "json"));
		shared = new Shared(app, data, port);
		app.awaitHealthy(port, START);
	}

	@AfterAll
	static void stopShared() {
		if (shared != null) {
			shared.app().stop(Duration.ofSeconds(60));
		}
	}

	@Test
	void restartKeepsTheDataInTheDataDirectory() throws Exception {
		Path data = TestDirectories.fresh("embedded-default");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port));

		try (AppProcess first = AppProcess.start("embedded-first", environment)) {
			first.awaitHealthy(port, START);
			Matcher database = first.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", password(data));
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE restart_probe (note text)");
				statement.execute("INSERT INTO restart_probe VALUES ('written before the restart')");
			}
			int databasePort = Integer.parseInt(database.group(2));

			first.stop(Duration.ofSeconds(60));

			assertThat(Http.listening(databasePort)).as("embedded PostgreSQL stopped with the app").isFalse();
			assertThat(first.output()).contains("Embedded PostgreSQL stopped");
		}

		try (AppProcess second = AppProcess.start("embedded-second", environment)) {
			second.awaitHealthy(port, START);
			Matcher database = second.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", password(data));
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT note FROM restart_probe")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getString(1)).isEqualTo("written before the restart");
			}
			assertThat(second.output()).doesNotContain("first start");
		}
	}

	/**
	 * An app killed with SIGKILL (the OOM killer, a host's crash) cannot stop its
	 * PostgreSQL, which runs on; the next start on the data stops that server, starts its
	 * own and keeps what was written, and one server runs on the data afterwards.
	 */
	@Test
	void aServerLeftRunningByAKilledAppIsStoppedAtTheNextStartWhichKeepsTheData() throws Exception {
		Path data = TestDirectories.fresh("embedded-killed");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port), "VITRINE_CONTENT_DEMO", "false");
		long leftover = startAndKill(data, port, environment);

		try (AppProcess next = AppProcess.start("embedded-after-kill", environment)) {
			next.awaitHealthy(port, START);
			assertThat(next.output())
				.contains("Stopped an embedded PostgreSQL left running by a process that did not shut down cleanly");
			assertThat(running(leftover)).as("the leftover server (PID %d)", leftover).isFalse();
			assertThat(postmastersOn(data)).as("servers on the data").containsExactly(postmasterPid(data));
			Matcher database = next.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", password(data));
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT note FROM kill_probe")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getString(1)).isEqualTo("committed before the kill");
			}
			next.stop(Duration.ofSeconds(60));
		}
		finally {
			stopLeftover(data, leftover);
		}
		assertThat(postmastersOn(data)).as("servers on the data after a clean stop").isEmpty();
	}

	/**
	 * A leftover server that does not stop when asked (suspended here, as a hung one
	 * would be) still holds the data: the next start fails saying which process holds it
	 * and what to do, not with PostgreSQL's lock file error inside Spring's stack trace.
	 */
	@Test
	void aLeftoverServerThatDoesNotStopFailsTheNextStartNamingItsPidAndWhatToDo() throws Exception {
		Path data = TestDirectories.fresh("embedded-hung");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port), "VITRINE_CONTENT_DEMO", "false");
		long leftover = startAndKill(data, port, environment);
		signal("STOP", leftover);

		try (AppProcess next = AppProcess.start("embedded-hung-next", environment)) {
			assertThat(next.awaitExit(START)).isEqualTo(1);
			assertThat(next.output()).contains("APPLICATION FAILED TO START")
				.contains("is held by a PostgreSQL server (PID " + leftover
						+ ") left running by a Vitrine process that did not shut down cleanly")
				.contains("Wait for that server to end, or end it (kill " + leftover + "), then start again.")
				.doesNotContain("\tat ");
		}
		finally {
			stopLeftover(data, leftover);
		}
	}

	@Test
	void jsonLogFormatPrintsOneJsonObjectPerLine() {
		String line = shared.app().awaitLine("Database: embedded PostgreSQL", Duration.ofSeconds(1)).group();

		String logLine = shared.app()
			.lines()
			.stream()
			.filter((candidate) -> candidate.contains(line))
			.findFirst()
			.get();
		JsonNode json = JsonMapper.builder().build().readTree(logLine);
		assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
		assertThat(json.path("message").asString()).startsWith("Database: embedded PostgreSQL");
		assertThat(json.has("@timestamp")).isTrue();
	}

	/**
	 * The README's {@code export} with the app still running on the embedded database
	 * (its one mistake to make: "stop an app using the embedded database first"), and a
	 * second app started on the same data: each says so in a few lines and what to do,
	 * not in Spring's stack trace of the beans that needed the database, and the app runs
	 * on.
	 */
	@Test
	void aCommandOrSecondAppOnTheDataOfARunningAppSaysToStopItNotAStackTrace() {
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", shared.data().toString());
		Path folder = TestDirectories.fresh("export-while-running");

		try (AppProcess export = AppProcess.run("export-while-running", environment, "export", folder.toString())) {
			assertThat(export.awaitExit(Duration.ofMinutes(2))).isEqualTo(1);
			String line = export.lines()
				.stream()
				.filter((candidate) -> candidate.startsWith("export failed: "))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no 'export failed' line in:\n" + export.output()));
			assertThat(line).isEqualTo("export failed: The embedded database in " + shared.data().toAbsolutePath()
					+ " is in use by another Vitrine process: one process at a time may use a data directory."
					+ " Stop that process first (an app started with mvn spring-boot:run or java -jar, perhaps in"
					+ " another terminal), or set VITRINE_DATA_DIR to another directory.");
			assertThat(export.output()).doesNotContain("Error creating bean").doesNotContain("\tat ");
		}

		int port = Http.freePort();
		try (AppProcess second = AppProcess.start("embedded-second-on-same-data",
				Map.of("VITRINE_DATA_DIR", shared.data().toString(), "SERVER_PORT", Integer.toString(port)))) {
			assertThat(second.awaitExit(Duration.ofMinutes(2))).isEqualTo(1);
			assertThat(second.output()).contains("APPLICATION FAILED TO START")
				.contains("is in use by another Vitrine process")
				.contains("Stop that process first")
				.doesNotContain("\tat ");
		}
		assertThat(Http.get(shared.port(), "/").statusCode()).as("the running app").isEqualTo(200);
	}

	@Test
	void aLocalUserWithoutThePasswordIsRefusedWhileTheSiteWorks() throws Exception {
		Path data = shared.data();
		int port = shared.port();
		int databasePort = Integer.parseInt(shared.app().awaitLine(DATABASE_LINE, Duration.ofSeconds(1)).group(2));

		Psql withoutPassword = psql(databasePort, null, "SELECT count(*) FROM pg_roles");
		assertThat(withoutPassword.exit()).as(withoutPassword.output()).isNotZero();
		assertThat(withoutPassword.output()).contains("no password supplied");
		Psql wrongPassword = psql(databasePort, "guessed", "COPY (SELECT 1) TO PROGRAM 'id'");
		assertThat(wrongPassword.exit()).isNotZero();
		assertThat(wrongPassword.output()).contains("password authentication failed for user \"vitrine\"");

		Path passwordFile = data.resolve("postgres.password");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
		Psql withPassword = psql(databasePort, password(data), "SELECT count(*) FROM admin_user");
		assertThat(withPassword.exit()).as(withPassword.output()).isZero();
		assertThat(Http.get(port, "/").statusCode()).isEqualTo(200);
		assertThat(Http.get(port, "/login").statusCode()).isEqualTo(200);
	}

	@Test
	void aDataDirectoryThatTrustedEveryLocalUserIsGivenAPasswordAndKeepsItsData() throws Exception {
		Path data = TestDirectories.fresh("embedded-trust-upgrade");
		int oldPort = Http.freePort();
		makeTrustingDataDirectoryAsTheReleaseBefore(data, oldPort);
		assertThat(psql(oldPort, null, "SELECT 1").exit()).as("the old server trusts everyone").isZero();
		// in a schema of its own: Flyway wants public to be its own
		psqlOrFail(oldPort, null, "CREATE SCHEMA probe; CREATE TABLE probe.before_upgrade (note text); "
				+ "INSERT INTO probe.before_upgrade VALUES ('written while trusted')");
		pgCtl(data, "stop", "-m", "fast", "-w");

		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port), "VITRINE_CONTENT_DEMO", "false");
		try (AppProcess app = AppProcess.start("embedded-trust-upgrade", environment)) {
			app.awaitHealthy(port, START);
			int databasePort = Integer.parseInt(app.awaitLine(DATABASE_LINE, Duration.ofSeconds(1)).group(2));
			assertThat(app.output()).contains("let every local user in without a password (made by an older Vitrine);"
					+ " it now takes only the password kept in " + data.resolve("postgres.password"));

			assertThat(psql(databasePort, null, "SELECT 1").output()).contains("no password supplied");
			Psql kept = psql(databasePort, password(data), "SELECT note FROM probe.before_upgrade");
			assertThat(kept.output()).contains("written while trusted");
			assertThat(Files.readString(data.resolve("postgres/pg_hba.conf"))).doesNotContain("trust")
				.contains("host all all 127.0.0.1/32 scram-sha-256");
			assertThat(Http.get(port, "/").statusCode()).isEqualTo(200);
			app.stop(Duration.ofSeconds(60));
		}
		try (AppProcess again = AppProcess.start("embedded-trust-upgrade-again", environment)) {
			again.awaitHealthy(port, START);
			assertThat(again.output()).doesNotContain("without a password").doesNotContain("set a new password");
			again.stop(Duration.ofSeconds(60));
		}
	}

	@Test
	void binariesAnotherUserPlantedInTheTemporaryDirectoryAreNotRun() throws Exception {
		Path temporary = TestDirectories.fresh("embedded-planted-tmp");
		Path data = TestDirectories.fresh("embedded-planted");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port), "VITRINE_CONTENT_DEMO", "false", "JAVA_TOOL_OPTIONS",
				"-Djava.io.tmpdir=" + temporary);
		try (AppProcess first = AppProcess.start("embedded-planted-first", environment)) {
			first.awaitHealthy(port, START);
			first.stop(Duration.ofSeconds(60));
		}
		Path binaries;
		try (Stream<Path> unpacked = Files.list(temporary)) {
			binaries = unpacked.filter((p) -> p.getFileName().toString().startsWith("vitrine-postgres-"))
				.findFirst()
				.orElseThrow();
		}
		// what another local user would leave there: their own postgres
		// where the planted program, run as the server's user, could leave a trace
		Path traces = Files.createDirectories(temporary.resolve("traces"));
		Files.setPosixFilePermissions(traces, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path canary = traces.resolve("planted-postgres-ran");
		Path postgres = binaries.resolve("bin/postgres");
		Files.delete(postgres);
		Files.writeString(postgres, "#!/bin/sh\ntouch " + canary + "\nexit 1\n");
		Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setAttribute(postgres, "unix:uid", 65534);

		try (AppProcess second = AppProcess.start("embedded-planted-second", environment)) {
			assertThat(second.awaitExit(START)).isNotZero();
			assertThat(second.output()).contains("Will not run the embedded PostgreSQL from " + binaries)
				.contains(postgres + " belongs to uid 65534, not to this user")
				.contains("rm -rf " + binaries);
		}
		assertThat(canary).doesNotExist();
	}

	/** As releases before the password did: initdb -A trust, the server on 127.0.0.1. */
	private static void makeTrustingDataDirectoryAsTheReleaseBefore(Path data, int port) throws Exception {
		Path pgData = Files.createDirectories(data.resolve("postgres"));
		Path log = Files.createFile(data.resolve("postgres.log"));
		if (root()) {
			for (Path path : List.of(pgData, log)) {
				Files.setAttribute(path, "unix:uid", 65534);
				Files.setAttribute(path, "unix:gid", 65534);
			}
		}
		runOrFail(asServerUser(PostgresBinaries.unpacked().resolve("bin/initdb").toString(), "-D", pgData.toString(),
				"-U", "vitrine", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"));
		Path conf = pgData.resolve("postgresql.conf");
		Files.writeString(conf, Files.readString(conf) + """

				# Vitrine's embedded default: reachable from this machine only
				listen_addresses = '127.0.0.1'
				unix_socket_directories = ''
				""");
		pgCtl(data, "start", "-w", "-l", log.toString(), "-o", "-p " + port);
		psqlOrFail(port, null, "CREATE DATABASE vitrine");
	}

	private static void pgCtl(Path data, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(PostgresBinaries.unpacked().resolve("bin/pg_ctl").toString(),
				"-D", data.resolve("postgres").toString()));
		command.addAll(List.of(arguments));
		runOrFail(asServerUser(command.toArray(String[]::new)));
	}

	private static List<String> asServerUser(String... command) {
		List<String> full = new ArrayList<>();
		if (root()) {
			full.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
		}
		full.addAll(List.of(command));
		return full;
	}

	private static boolean root() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static void runOrFail(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
	}

	private static void psqlOrFail(int port, String password, String sql) throws Exception {
		Psql result = psql(port, password, sql);
		assertThat(result.exit()).as(result.output()).isZero();
	}

	/**
	 * The system's psql, as any local user would run it: no password unless given, never
	 * prompting.
	 */
	private static Psql psql(int port, String password, String sql) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("/usr/bin/psql", "-w", "-X", "-h", "127.0.0.1", "-p",
				Integer.toString(port), "-U", "vitrine", "-d",
				sql.startsWith("CREATE DATABASE") ? "postgres" : "vitrine", "-At", "-c", sql)
			.redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf((key) -> key.startsWith("PG"));
		environment.put("PGPASSFILE", "/dev/null");
		if (password != null) {
			environment.put("PGPASSWORD", password);
		}
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Psql(process.exitValue(), output);
	}

	/**
	 * Starts the app on the data, commits a row of {@code kill_probe} and kills the app
	 * with SIGKILL; returns the PID of the PostgreSQL server it leaves running.
	 */
	private static long startAndKill(Path data, int port, Map<String, String> environment) throws Exception {
		try (AppProcess killed = AppProcess.start(data.getFileName() + "-killed", environment)) {
			killed.awaitHealthy(port, START);
			Matcher database = killed.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", password(data));
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE kill_probe (note text)");
				statement.execute("INSERT INTO kill_probe VALUES ('committed before the kill')");
			}

			killed.kill();

			long leftover = postmasterPid(data);
			assertThat(running(leftover)).as("PostgreSQL outlives the killed app").isTrue();
			assertThat(Http.listening(Integer.parseInt(database.group(2)))).isTrue();
			return leftover;
		}
	}

	/**
	 * Stops the server a killed app left on the data if it still runs (a test failed): no
	 * app will.
	 */
	private static void stopLeftover(Path data, long pid) throws Exception {
		if (postmastersOn(data).contains(pid)) {
			// a suspended server acts on SIGTERM once it runs again
			signal("CONT", pid);
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
		}
	}

	private static void signal(String name, long pid) throws Exception {
		runOrFail(List.of("kill", "-" + name, Long.toString(pid)));
	}

	/** The PID in the server's lock file, {@code postmaster.pid}. */
	private static long postmasterPid(Path data) throws IOException {
		Path lockFile = data.resolve("postgres/postmaster.pid");
		assertThat(lockFile).as("the server's lock file").exists();
		return Long.parseLong(Files.readAllLines(lockFile).getFirst().strip());
	}

	/**
	 * The PostgreSQL servers running on this data, from every process's command line: a
	 * server started by pg_ctl keeps its {@code -D} there (the processes it forks do
	 * not).
	 */
	private static List<Long> postmastersOn(Path data) throws IOException {
		String pgData = data.toRealPath().resolve("postgres").toString();
		List<Long> servers = new ArrayList<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter((p) -> p.getFileName().toString().matches("\\d+")).toList()) {
				List<String> arguments;
				try {
					arguments = List.of(Files.readString(process.resolve("cmdline")).split("\0"));
				}
				catch (IOException ex) {
					// ended while we looked
					continue;
				}
				int option = arguments.indexOf("-D");
				if (arguments.getFirst().endsWith("/bin/postgres") && option >= 0 && option + 1 < arguments.size()
						&& arguments.get(option + 1).equals(pgData)) {
					servers.add(Long.parseLong(process.getFileName().toString()));
				}
			}
		}
		return servers;
	}

	/**
	 * Whether the process runs: not a zombie either, which a dead server whose parent
	 * died stays where PID 1 does not reap orphans (as in some containers).
	 */
	private static boolean running(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String password(Path data) throws IOException {
		return Files.readString(data.resolve("postgres.password")).strip();
	}

	private record Psql(int exit, String output) {
	}

	private record Shared(AppProcess app, Path data, int port) {
	}

}
