package dev.vitrine.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL server, run from the binaries that
 * ship inside the application, with its data in the {@code postgres} subdirectory of the
 * data directory so a restart keeps the content. It listens on 127.0.0.1 only.
 *
 * <p>
 * We launch the server ourselves rather than through zonky's {@code EmbeddedPostgres}:
 * that one cannot run as root (PostgreSQL refuses, and CI machines and many containers
 * are root), turns fsync off and makes a new data directory per run; none of that suits a
 * database holding a user's content. As root, the server runs as user {@code nobody}
 * through {@code setpriv}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

	static final String SUPERUSER = "vitrine";

	static final String DATABASE = "vitrine";

	private static final int NOBODY = 65534;

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	private final Path pgData;

	private final Path logFile;

	private final Path binaries;

	private final List<String> runAs;

	private final FileChannel lockChannel;

	private final FileLock lock;

	private final int port;

	private String serverVersion = "";

	private boolean running;

	private EmbeddedPostgres(Path directory, Path binaries, List<String> runAs, FileChannel lockChannel, FileLock lock,
			int port) {
		this.pgData = directory.resolve("postgres");
		this.logFile = directory.resolve("postgres.log");
		this.binaries = binaries;
		this.runAs = runAs;
		this.lockChannel = lockChannel;
		this.lock = lock;
		this.port = port;
	}

	/**
	 * Starts a server on the data in {@code directory}, creating the cluster and database
	 * on first use.
	 * @param directory where the data lives (created if missing)
	 * @param port the port to listen on, or 0 for any free port
	 */
	public static EmbeddedPostgres start(Path directory, int port) throws IOException {
		Path dir = directory.toAbsolutePath().normalize();
		Files.createDirectories(dir);
		FileChannel channel = FileChannel.open(dir.resolve("postgres.lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		FileLock lock = channel.tryLock();
		if (lock == null) {
			channel.close();
			throw new IOException("The embedded database in " + dir
					+ " is in use by another Vitrine process; stop that one, or set VITRINE_DATA_DIR to another directory");
		}
		EmbeddedPostgres server = null;
		try {
			boolean root = isRoot();
			List<String> runAs = root ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups")
					: List.of();
			if (root) {
				checkReachableByNobody(dir);
			}
			server = new EmbeddedPostgres(dir, PostgresBinaries.unpacked(), runAs, channel, lock,
					(port != 0) ? port : freePort());
			server.initIfNeeded(root);
			server.stopLeftoverServer();
			server.startServer();
			server.createDatabaseIfNeeded();
			return server;
		}
		catch (IOException | RuntimeException ex) {
			if (server != null) {
				server.close();
			}
			else {
				lock.release();
				channel.close();
			}
			throw ex;
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + DATABASE;
	}

	public String user() {
		return SUPERUSER;
	}

	public int port() {
		return this.port;
	}

	public Path dataDirectory() {
		return this.pgData;
	}

	public String serverVersion() {
		return this.serverVersion;
	}

	/**
	 * Stops the server (fast shutdown: open transactions are rolled back) and frees the
	 * data.
	 */
	@Override
	public void close() {
		try {
			if (this.running) {
				pgCtl("stop", "-m", "fast", "-w", "-t", "30");
				this.running = false;
				log.info("Embedded PostgreSQL stopped");
			}
		}
		catch (IOException ex) {
			log.warn("Could not stop the embedded PostgreSQL in {}: {}", this.pgData, ex.getMessage());
		}
		finally {
			try {
				this.lock.release();
				this.lockChannel.close();
			}
			catch (IOException ex) {
				log.debug("Could not release {}", this.lockChannel, ex);
			}
		}
	}

	private void initIfNeeded(boolean root) throws IOException {
		if (Files.exists(this.pgData.resolve("PG_VERSION"))) {
			return;
		}
		if (Files.isDirectory(this.pgData)) {
			try (Stream<Path> children = Files.list(this.pgData)) {
				if (children.findAny().isPresent()) {
					throw new IOException(this.pgData + " is not empty and holds no PostgreSQL data; move it away"
							+ " or set VITRINE_DATA_DIR to another directory");
				}
			}
		}
		Files.createDirectories(this.pgData);
		if (!Files.exists(this.logFile)) {
			Files.createFile(this.logFile);
		}
		if (root) {
			giveToNobody(this.pgData);
			giveToNobody(this.logFile);
		}
		log.info("Creating the embedded PostgreSQL database in {} (first start)", this.pgData);
		run(command("initdb", "-D", this.pgData.toString(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C",
				"--no-instructions"));
		String settings = """

				# Vitrine's embedded default: reachable from this machine only
				listen_addresses = '127.0.0.1'
				unix_socket_directories = ''
				""";
		Path conf = this.pgData.resolve("postgresql.conf");
		Files.writeString(conf, Files.readString(conf) + settings, StandardCharsets.UTF_8);
	}

	/**
	 * We hold the lock, so a server still running on this data was left behind by a
	 * process that was killed before it could stop it.
	 */
	private void stopLeftoverServer() throws IOException {
		if (Files.exists(this.pgData.resolve("postmaster.pid"))) {
			try {
				pgCtl("stop", "-m", "fast", "-w", "-t", "30");
				log.info("Stopped an embedded PostgreSQL left running by a process that did not shut down cleanly");
			}
			catch (IOException ex) {
				log.debug("No leftover server: {}", ex.getMessage());
			}
		}
	}

	private void startServer() throws IOException {
		try {
			pgCtl("start", "-w", "-t", "60", "-l", this.logFile.toString(), "-o", "-p " + this.port);
		}
		catch (IOException ex) {
			throw new IOException(ex.getMessage() + "\nLast lines of " + this.logFile + ":\n" + tail(this.logFile, 15),
					ex);
		}
		this.running = true;
	}

	private void createDatabaseIfNeeded() throws IOException {
		String url = "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres?user=" + SUPERUSER;
		try (Connection connection = DriverManager.getConnection(url);
				Statement statement = connection.createStatement()) {
			try (ResultSet version = statement.executeQuery("SHOW server_version")) {
				version.next();
				this.serverVersion = version.getString(1);
			}
			try (ResultSet existing = statement
				.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
				if (!existing.next()) {
					statement.execute("CREATE DATABASE " + DATABASE);
				}
			}
		}
		catch (SQLException ex) {
			throw new IOException("The embedded PostgreSQL started but refused a connection: " + ex.getMessage(), ex);
		}
	}

	private void pgCtl(String action, String... options) throws IOException {
		List<String> arguments = new ArrayList<>(List.of("-D", this.pgData.toString(), action));
		arguments.addAll(List.of(options));
		run(command("pg_ctl", arguments.toArray(String[]::new)));
	}

	private List<String> command(String program, String... arguments) {
		List<String> command = new ArrayList<>(this.runAs);
		command.add(this.binaries.resolve("bin").resolve(program).toString());
		command.addAll(List.of(arguments));
		return command;
	}

	private static void run(List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// the server must not inherit the JVM's stdout: a pipe nobody drains would block
		// it
		builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		builder.environment().put("LC_ALL", "C");
		Process process = builder.start();
		String output;
		try {
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException("Interrupted while running " + command.getFirst(), ex);
		}
		if (process.exitValue() != 0) {
			throw new IOException(
					String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output.strip());
		}
	}

	private static boolean isRoot() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return Integer.valueOf(0).equals(uid);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static void checkReachableByNobody(Path dir) throws IOException {
		for (Path path = dir; path != null; path = path.getParent()) {
			Object owner = Files.getAttribute(path, "unix:uid");
			boolean othersMayEnter = Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_EXECUTE);
			if (!othersMayEnter && !Integer.valueOf(NOBODY).equals(owner)) {
				throw new IOException("Running as root, the embedded PostgreSQL runs as user 'nobody', which cannot"
						+ " enter " + path + "; set VITRINE_DATA_DIR to a directory it can reach (e.g. under /var/lib),"
						+ " run as another user, or set VITRINE_DB_URL");
			}
		}
	}

	private static void giveToNobody(Path path) throws IOException {
		UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
		PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
		try {
			view.setOwner(lookup.lookupPrincipalByName(Integer.toString(NOBODY)));
			view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(NOBODY)));
		}
		catch (IOException ex) {
			Files.setAttribute(path, "unix:uid", NOBODY);
			Files.setAttribute(path, "unix:gid", NOBODY);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(cannot read: " + ex.getMessage() + ")";
		}
	}

}
