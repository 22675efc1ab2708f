package dev.vitrine.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.ops.TestPostgres;

import static org.awaitility.Awaitility.await;

/**
 * The built application ({@code target/vitrine.jar}) running as its own process: the way
 * the images run it (extracted, {@link ExtractedJar}, with a JDK AOT cache once the
 * build's {@link JarAotCache} is ready), or as the one file a user runs with
 * {@code java -jar} ({@link #startBuiltJar}). Its output is kept in memory and in
 * {@code target/it-logs/NAME.log}.
 */
public final class AppProcess implements AutoCloseable {

	private static final Path JAR = Path.of("target", "vitrine.jar");

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread outputCopier;

	private volatile boolean suspended;

	private AppProcess(Process process, Path logFile) {
		this.process = process;
		this.outputCopier = Thread.ofPlatform()
			.daemon()
			.name("output-" + process.pid())
			.start(() -> copyOutput(logFile));
	}

	/**
	 * Starts the application, extracted as the images run it, with these environment
	 * variables (and none of the caller's VITRINE_*), on a free management port unless
	 * they name one.
	 */
	public static AppProcess start(String name, Map<String, String> environment) {
		return run(name, environment);
	}

	/**
	 * Runs the application, extracted as the images run it, with these arguments (a
	 * command such as {@code migrate}) and these environment variables (and none of the
	 * caller's VITRINE_*).
	 */
	public static AppProcess run(String name, Map<String, String> environment, String... arguments) {
		Path application = ExtractedJar.of(builtJar());
		List<String> command = new ArrayList<>(JarAotCache.options(application));
		command.addAll(List.of("-jar", application.toString()));
		command.addAll(List.of(arguments));
		return launch(name, command, environment);
	}

	/**
	 * Starts {@code java -jar target/vitrine.jar} itself, as the README runs it: the one
	 * file {@code mvn package} builds, its libraries nested in it, without an AOT cache.
	 */
	public static AppProcess startBuiltJar(String name, Map<String, String> environment) {
		return launch(name, List.of("-jar", builtJar().toString()), environment);
	}

	private static Path builtJar() {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package`");
		}
		return JAR;
	}

	/**
	 * The environment of a site on its own database: these roles, this port, no demo
	 * content. A mutable map, for the test's own settings.
	 */
	public static Map<String, String> siteEnvironment(String database, String roles, int port) {
		return new HashMap<>(Map.of("VITRINE_DB_URL", database, "VITRINE_DB_USER", TestPostgres.user(), "VITRINE_ROLES",
				roles, "SERVER_PORT", Integer.toString(port), "VITRINE_CONTENT_DEMO", "false"));
	}

	/**
	 * Starts a main class of the test JVM's own class path (test code included) as its
	 * own process, with these environment variables (and none of the caller's VITRINE_*).
	 */
	public static AppProcess startMain(String name, Class<?> mainClass, Map<String, String> environment) {
		return launch(name, List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()), environment);
	}

	static AppProcess launch(String name, List<String> arguments, Map<String, String> environment) {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>();
		command.add(java);
		// C1 alone: these processes live for seconds to a minute, and a start with the
		// C2 compiler took ~40% more CPU on a 2-core machine (BENCHMARKS.md)
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf((key) -> key.startsWith("VITRINE_") || key.startsWith("SERVER_"));
		builder.environment().putAll(environment);
		// not the default 8081, which another test or process may hold
		builder.environment().putIfAbsent("VITRINE_MANAGEMENT_PORT", Integer.toString(Http.freePort()));
		try {
			Path logs = Files.createDirectories(Path.of("target", "it-logs"));
			return new AppProcess(builder.start(), logs.resolve(name + ".log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public long pid() {
		return this.process.pid();
	}

	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	public String output() {
		return String.join("\n", this.lines);
	}

	/** Waits for a line matching the pattern and returns its match. */
	public Matcher awaitLine(String regex, Duration timeout) {
		Pattern pattern = Pattern.compile(regex);
		List<Matcher> found = new ArrayList<>(1);
		await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
			for (String line : this.lines) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					found.add(matcher);
					return true;
				}
			}
			if (!this.process.isAlive()) {
				throw new AssertionError("process ended (exit " + this.process.exitValue() + ") before printing "
						+ regex + ":\n" + output());
			}
			return false;
		});
		return found.getFirst();
	}

	public void awaitHealthy(int port, Duration timeout) {
		// only Http's failures to connect: ignoring every exception ignored the
		// AssertionError of a process that ended, and waited out the whole timeout
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new AssertionError("process ended (exit " + this.process.exitValue() + "):\n" + output());
				}
				return Http.get(port, "/health/").statusCode() == 200;
			});
	}

	/** Waits for the process to end by itself and returns its exit code. */
	public int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("process still running after " + timeout + ":\n" + output());
			}
			// what it printed last is read by now
			this.outputCopier.join(Duration.ofSeconds(10));
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Sends SIGTERM, as {@code docker stop} does, and waits for the process to end. */
	public int stop(Duration timeout) {
		// through the handle: Process.destroy() would also close our end of its output
		this.process.toHandle().destroy();
		return awaitExit(timeout);
	}

	/** Sends SIGTERM, as {@code docker stop} does, without waiting for the end. */
	public void terminate() {
		this.process.toHandle().destroy();
	}

	/** Sends SIGSTOP: the process freezes, as a long GC pause or a stalled VM would. */
	public void suspend() {
		signal("STOP");
		this.suspended = true;
	}

	/** Sends SIGCONT to a process {@link #suspend() suspended}. */
	public void resume() {
		signal("CONT");
		this.suspended = false;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	private void signal(String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Sends SIGKILL, as the kernel's OOM killer or a crashed host would. */
	public void kill() {
		this.process.toHandle().destroyForcibly();
		awaitExit(Duration.ofSeconds(30));
	}

	/**
	 * Stops the process if a test left it running: SIGTERM first, so it stops its
	 * database too.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			if (this.suspended) {
				resume();
			}
			this.process.toHandle().destroy();
			try {
				this.process.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process.destroyForcibly();
		}
	}

	private void copyOutput(Path logFile) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
				log.write(line);
				log.write('\n');
				log.flush();
			}
		}
		catch (IOException ex) {
			// the process ended; what it printed is kept
		}
	}

}
