package dev.vitrine.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL server, run from the binaries that
 * ship inside the application, with its data in the {@code postgres} subdirectory of the
 * data directory so a restart keeps the content. It listens on 127.0.0.1 only, and only
 * with a password: any local account can reach 127.0.0.1, and the role is a superuser (it
 * could run programs with {@code COPY ... TO PROGRAM}). The password is made at the first
 * start and kept, readable by this user only, in {@code postgres.password} beside the
 * data; a data directory from a release that trusted every local user is given one at its
 * next start.
 *
 * <p>
 * We launch the server ourselves rather than through zonky's {@code EmbeddedPostgres}:
 * that one cannot run as root (PostgreSQL refuses, and CI machines and many containers
 * are root), turns fsync off and makes a new data directory per run; none of that suits a
 * database holding a user's content. As root, the server runs as user {@code nobody}
 * through {@code setpriv}.
 */
final class EmbeddedPostgres implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

	static final String SUPERUSER = "vitrine";

	static final String DATABASE = "vitrine";

	private static final int NOBODY = 65534;

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	static final String PASSWORD_FILE = "postgres.password";

	/** Who may connect, and how: all that pg_hba.conf holds. */
	static final String HBA = """
			# Vitrine's embedded database: from this machine only, with the password kept in
			# postgres.password beside this directory. Vitrine puts this file back if it changes.
			host all all 127.0.0.1/32 scram-sha-256
			""";

	private static final SecureRandom random = new SecureRandom();

	private final Path pgData;

	private final Path logFile;

	private final Path passwordFile;

	private final Path binaries;

	private final List<String> runAs;

	/**
	 * The data directories this JVM runs a server on. A second start on one is refused
	 * before it opens the lock file: closing that second channel would drop the first
	 * one's lock too, as POSIX locks belong to the process, not the channel.
	 */
	private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

	private final Path directory;

	private final FileChannel lockChannel;

	private final FileLock lock;

	private final int port;

	private String serverVersion = "";

	private String password;

	private boolean running;

	private EmbeddedPostgres(Path directory, Path binaries, List<String> runAs, FileChannel lockChannel, FileLock lock,
			int port) {
		this.directory = directory;
		this.pgData = directory.resolve("postgres");
		this.logFile = directory.resolve("postgres.log");
		this.passwordFile = directory.resolve(PASSWORD_FILE);
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
	static EmbeddedPostgres start(Path directory, int port) throws IOException {
		Files.createDirectories(directory);
		// its real name: another spelling of it (a symbolic link) is the same lock file
		Path dir = directory.toRealPath();
		if (!HELD.add(dir)) {
			throw new EmbeddedDatabaseInUse(dir, EmbeddedDatabaseInUse.Holder.THIS_PROCESS);
		}
		FileChannel channel = null;
		EmbeddedPostgres server = null;
		try {
			channel = FileChannel.open(dir.resolve("postgres.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new EmbeddedDatabaseInUse(dir, EmbeddedDatabaseInUse.Holder.ANOTHER_PROCESS);
			}
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
			server.requirePassword();
			server.startServer();
			server.createDatabaseIfNeeded();
			return server;
		}
		catch (IOException | RuntimeException ex) {
			if (server != null) {
				server.close();
			}
			else {
				try {
					// releases the lock with it, if taken
					if (channel != null) {
						channel.close();
					}
				}
				finally {
					HELD.remove(dir);
				}
			}
			throw ex;
		}
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + DATABASE;
	}

	String user() {
		return SUPERUSER;
	}

	/** The password of {@link #user()}, as kept in {@code postgres.password}. */
	String password() {
		return this.password;
	}

	int port() {
		return this.port;
	}

	Path dataDirectory() {
		return this.pgData;
	}

	String serverVersion() {
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
			// once: a second close must not free the directory of a server started since
			if (this.lockChannel.isOpen()) {
				try {
					this.lock.release();
					this.lockChannel.close();
				}
				catch (IOException ex) {
					log.debug("Could not release {}", this.lockChannel, ex);
				}
				finally {
					HELD.remove(this.directory);
				}
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
		this.password = newPassword();
		// initdb reads the password from a file; as root it runs as nobody, who
		// must be able to read it, so it gets its own copy for the moment
		Path initPassword = this.passwordFile.resolveSibling(PASSWORD_FILE + ".initdb");
		writePrivately(initPassword, this.password);
		try {
			if (root) {
				giveToNobody(initPassword);
			}
			run(command("initdb", "-D", this.pgData.toString(), "-U", SUPERUSER, "-A", "scram-sha-256",
					"--pwfile=" + initPassword, "-E", "UTF8", "--locale=C", "--no-instructions"), null);
		}
		finally {
			Files.deleteIfExists(initPassword);
		}
		writePrivately(this.passwordFile, this.password);
		Files.writeString(this.pgData.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
		String settings = """

				# Vitrine's embedded default: reachable from this machine only
				listen_addresses = '127.0.0.1'
				unix_socket_directories = ''
				password_encryption = 'scram-sha-256'
				""";
		Path conf = this.pgData.resolve("postgresql.conf");
		Files.writeString(conf, Files.readString(conf) + settings, StandardCharsets.UTF_8);
	}

	/**
	 * Makes sure the server takes only the password in {@code postgres.password}. A data
	 * directory made by a release that trusted every local user, or whose password file
	 * was deleted, gets a new password (set in single-user mode: the server is not
	 * running, so there is no moment without a password) and our pg_hba.conf.
	 */
	private void requirePassword() throws IOException {
		Path hba = this.pgData.resolve("pg_hba.conf");
		String current = Files.exists(hba) ? Files.readString(hba) : "";
		if (this.password == null && Files.exists(this.passwordFile, LinkOption.NOFOLLOW_LINKS)) {
			this.password = readPrivate(this.passwordFile);
		}
		if (this.password != null && current.equals(HBA)) {
			return;
		}
		boolean trusted = current.lines()
			.map(String::strip)
			.anyMatch((line) -> !line.startsWith("#") && line.matches(".*\\strust\\b.*"));
		if (this.password == null) {
			this.password = newPassword();
			writePrivately(this.passwordFile, this.password);
		}
		List<String> singleUser = command("postgres", "--single", "-D", this.pgData.toString(), "-c",
				"password_encryption=scram-sha-256", "postgres");
		String output = run(singleUser, "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + this.password + "';\n");
		if (output.contains("ERROR:") || output.contains("FATAL:")) {
			throw new IOException("Could not set the embedded PostgreSQL's password in " + this.pgData + ": "
					+ output.replace(this.password, "***").strip());
		}
		Files.writeString(hba, HBA, StandardCharsets.UTF_8);
		if (trusted) {
			log.warn(
					"Embedded PostgreSQL in {} let every local user in without a password (made by an older Vitrine);"
							+ " it now takes only the password kept in {} (scram-sha-256)",
					this.pgData, this.passwordFile);
		}
		else {
			log.warn("Embedded PostgreSQL in {}: set a new password, kept in {} (the file was missing)", this.pgData,
					this.passwordFile);
		}
	}

	/**
	 * We hold the lock, so a server still running on this data was left behind by a
	 * process that was killed before it could stop it. One that does not stop would make
	 * the start fail with PostgreSQL's "lock file already exists": we say what it is
	 * instead. A lock file whose number another process has now (after a crash or a
	 * reboot) is removed unsignalled: pg_ctl would signal that process, and PostgreSQL
	 * would take it for a server and refuse to start. Only when that is certain: a lock
	 * file removed from under a running server would let a second one start on its data.
	 */
	private void stopLeftoverServer() throws IOException {
		Path pidFile = this.pgData.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		switch (lockHolder(pidFile)) {
			case LockHolder.Gone gone -> {
				// PostgreSQL replaces the lock file of a server that is gone
			}
			case LockHolder.Unknown unknown -> {
				// not ours to judge: PostgreSQL checks the lock file as it starts
			}
			case LockHolder.Other other -> {
				Files.deleteIfExists(pidFile);
				log.info("Embedded PostgreSQL in {}: removed the lock file of a server that is gone, whose number"
						+ " process {} has now", this.pgData, other.pid());
			}
			case LockHolder.Server server -> {
				try {
					pgCtl("stop", "-m", "fast", "-w", "-t", "30");
					log.info("Stopped an embedded PostgreSQL left running by a process that did not shut down cleanly");
				}
				catch (IOException ex) {
					if (lockHolder(pidFile) instanceof LockHolder.Server still) {
						throw new EmbeddedDatabaseInUse(this.directory, still.pid(), lastWords(ex));
					}
					// it ended meanwhile
					log.debug("No leftover server: {}", ex.getMessage());
				}
			}
		}
	}

	/** What process the lock file names, as far as its command line tells. */
	private sealed interface LockHolder {

		/** A PostgreSQL server on this data: {@code -D} names it. */
		record Server(long pid) implements LockHolder {
		}

		/**
		 * Certainly no server on this data: another program, a server on another data
		 * directory, or a zombie. The server that wrote the lock file is gone.
		 */
		record Other(long pid) implements LockHolder {
		}

		/** No process has the number. */
		record Gone() implements LockHolder {
		}

		/** A process whose command line cannot be read or does not settle it. */
		record Unknown() implements LockHolder {
		}

	}

	/**
	 * The process that the server's lock file names (negative there for a single-user
	 * server).
	 */
	private LockHolder lockHolder(Path pidFile) {
		long pid;
		byte[] commandLine;
		try {
			pid = Math.abs(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
		}
		catch (IOException | RuntimeException ex) {
			return new LockHolder.Unknown();
		}
		if (ProcessHandle.of(pid).isEmpty()) {
			return new LockHolder.Gone();
		}
		try {
			commandLine = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
		}
		catch (IOException ex) {
			return new LockHolder.Unknown();
		}
		List<String> arguments = List.of(new String(commandLine, StandardCharsets.UTF_8).split("\0"));
		String program = arguments.getFirst().substring(arguments.getFirst().lastIndexOf('/') + 1);
		if (!program.equals("postgres") && !program.equals("postmaster")) {
			return new LockHolder.Other(pid);
		}
		int data = arguments.indexOf("-D");
		if (data < 0 || data + 1 >= arguments.size()) {
			return new LockHolder.Unknown();
		}
		try {
			return Path.of(arguments.get(data + 1)).toRealPath().equals(this.pgData.toRealPath())
					? new LockHolder.Server(pid) : new LockHolder.Other(pid);
		}
		catch (IOException ex) {
			// its data directory moved, or is not one to see from here
			return new LockHolder.Unknown();
		}
	}

	/** What a command that {@link #run} ran said last, without the command line. */
	private static String lastWords(IOException failure) {
		String message = failure.getMessage().strip();
		String last = message.substring(message.lastIndexOf('\n') + 1);
		int exit = last.indexOf(" failed (exit ");
		return (exit >= 0) ? last.substring(last.indexOf("): ", exit) + 3) : last;
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
		String url = "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
		Properties credentials = new Properties();
		credentials.setProperty("user", SUPERUSER);
		credentials.setProperty("password", this.password);
		try (Connection connection = DriverManager.getConnection(url, credentials);
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
		run(command("pg_ctl", arguments.toArray(String[]::new)), null);
	}

	private List<String> command(String program, String... arguments) {
		List<String> command = new ArrayList<>(this.runAs);
		command.add(this.binaries.resolve("bin").resolve(program).toString());
		command.addAll(List.of(arguments));
		return command;
	}

	/**
	 * Runs a command to its end, with {@code input} on its standard input (none when
	 * null), and returns what it printed.
	 */
	private static String run(List<String> command, String input) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// the server must not inherit the JVM's stdout: an undrained pipe blocks it
		if (input == null) {
			builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		}
		builder.environment().put("LC_ALL", "C");
		Process process = builder.start();
		String output;
		try {
			if (input != null) {
				try (OutputStream stdin = process.getOutputStream()) {
					stdin.write(input.getBytes(StandardCharsets.UTF_8));
				}
			}
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
		return output;
	}

	private static String newPassword() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Writes a file only its owner can read, whole or not at all. */
	private static void writePrivately(Path file, String content) throws IOException {
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		Files.deleteIfExists(partial);
		Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(partial, content + "\n", StandardCharsets.UTF_8);
		Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * The password in {@code file}, which must be this user's and readable by nobody
	 * else.
	 */
	private static String readPrivate(Path file) throws IOException {
		Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		int mode = (int) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !owner.equals(self)) {
			throw new IOException(file + " (the embedded database's password) is not a file of this user (uid " + self
					+ "); remove it, and a new password is set at the next start");
		}
		if ((mode & 0077) != 0) {
			throw new IOException(file + " (the embedded database's password) can be read by other users (mode "
					+ Integer.toOctalString(mode & 0777) + "); remove it, and a new password is set at the next start");
		}
		String password = Files.readString(file, StandardCharsets.UTF_8).strip();
		if (!password.matches("[A-Za-z0-9_-]{20,}")) {
			throw new IOException(file + " does not hold a password as Vitrine writes it; remove it, and a new password"
					+ " is set at the next start");
		}
		return password;
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
