package dev.vitrine.rendering;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chromium process with a fresh profile directory, started headless with the flags
 * that keep it off the network, and its DevTools endpoint. Closing it kills the whole
 * process tree (renderers, zygote, GPU helper) and deletes the profile.
 */
class ChromiumProcess implements AutoCloseable {

	/** Keep the browser off the network and quiet; see DESIGN.md §3. */
	static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--no-default-browser-check", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
			"--disable-breakpad", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
			"--remote-debugging-port=0", "--remote-allow-origins=*");

	private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

	private static final Logger log = LoggerFactory.getLogger(ChromiumProcess.class);

	private final Process process;

	private final Path profile;

	private final URI endpoint;

	private ChromiumProcess(Process process, Path profile, URI endpoint) {
		this.process = process;
		this.profile = profile;
		this.endpoint = endpoint;
	}

	static ChromiumProcess launch(Path executable, Duration timeout) throws CdpException {
		Path profile;
		try {
			profile = Files.createTempDirectory("vitrine-chromium-");
		}
		catch (IOException ex) {
			throw new CdpException("cannot create a browser profile directory: " + ex.getMessage(), ex);
		}
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(SETPRIV)) {
			// SIGKILL the browser when the thread that launched it dies, even if this JVM
			// is
			// killed outright; its own helpers follow it
			command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
		}
		command.add(executable.toString());
		command.addAll(FLAGS);
		command.add("--user-data-dir=" + profile);
		command.add("about:blank");
		Process process;
		try {
			process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		}
		catch (IOException ex) {
			deleteQuietly(profile);
			throw new CdpException("cannot start " + executable + ": " + ex.getMessage(), ex);
		}
		CompletableFuture<URI> endpoint = new CompletableFuture<>();
		Thread.ofPlatform().daemon().name("chromium-stderr-" + process.pid()).start(() -> {
			try (BufferedReader err = new BufferedReader(
					new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = err.readLine()) != null) {
					int at = line.indexOf("ws://");
					if (line.startsWith("DevTools listening on ") && at >= 0) {
						endpoint.complete(URI.create(line.substring(at).strip()));
					}
					else if (!endpoint.isDone()) {
						log.debug("chromium: {}", line);
					}
				}
			}
			catch (IOException ex) {
				// the process ended; whoever waits for the endpoint gets told below
			}
			endpoint.completeExceptionally(new CdpException("the browser exited before it was ready"));
		});
		try {
			return new ChromiumProcess(process, profile, endpoint.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException | ExecutionException | TimeoutException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			killTree(process);
			deleteQuietly(profile);
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			throw new CdpException(
					"the browser did not start within " + timeout.toSeconds() + " s: "
							+ ((cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName()),
					cause);
		}
	}

	URI endpoint() {
		return this.endpoint;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Memory of the browser and all its helper processes (PSS), in bytes (Linux). */
	long residentBytes() {
		long total = 0;
		for (ProcessHandle handle : Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants())
			.toList()) {
			total += ResidentMemory.of(handle.pid());
		}
		return total;
	}

	@Override
	public void close() {
		killTree(this.process);
		deleteQuietly(this.profile);
	}

	private static void killTree(Process process) {
		List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
		tree.forEach(ProcessHandle::destroyForcibly);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ProcessHandle handle : tree) {
			try {
				handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ExecutionException | TimeoutException ex) {
				log.warn("Chromium process {} did not exit within 5 s of being killed", handle.pid());
			}
		}
	}

	private static void deleteQuietly(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | RuntimeException ex) {
			// a leftover temporary directory is harmless
		}
	}

}
