package dev.vitrine.rendering;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Chromium process with a fresh profile directory, started headless with the flags
 * that keep it quiet, its DevTools protocol on a pipe (fds 3 and 4, joined to this
 * process's stdin and stdout by a shell) rather than a port. Closing it kills the whole
 * process tree (renderers, zygote, GPU helper) and deletes the profile.
 */
class ChromiumProcess implements AutoCloseable {

	/** Quiet, and talked to over the pipe only; {@link Browser} cuts its network. */
	static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--no-default-browser-check", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
			"--disable-breakpad", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
			"--remote-debugging-pipe");

	private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

	private static final Path SHELL = Path.of("/bin/sh");

	/**
	 * Java gives a child only fds 0-2: the shell hands our stdin and stdout on as the
	 * pipe's fds 3 and 4, and exec's the browser in its place (same pid).
	 */
	private static final String PIPE_SCRIPT = "exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null";

	private static final Logger log = LoggerFactory.getLogger(ChromiumProcess.class);

	private final Process process;

	private final Path profile;

	private ChromiumProcess(Process process, Path profile) {
		this.process = process;
		this.profile = profile;
	}

	static ChromiumProcess launch(Path executable) throws CdpException {
		if (!Files.isExecutable(SHELL)) {
			throw new CdpException("the browser is started through " + SHELL + ", which is missing");
		}
		Path profile;
		try {
			profile = Files.createTempDirectory("vitrine-chromium-");
		}
		catch (IOException ex) {
			throw new CdpException("cannot create a browser profile directory: " + ex.getMessage(), ex);
		}
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(SETPRIV)) {
			// SIGKILL the browser when the thread that launched it dies, even if this
			// JVM is killed outright; its own helpers follow it
			command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
		}
		command.addAll(List.of(SHELL.toString(), "-c", PIPE_SCRIPT, executable.toString()));
		command.addAll(FLAGS);
		command.add("--user-data-dir=" + profile);
		command.add("about:blank");
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (IOException ex) {
			deleteQuietly(profile);
			throw new CdpException("cannot start " + executable + ": " + ex.getMessage(), ex);
		}
		Thread.ofPlatform().daemon().name("chromium-stderr-" + process.pid()).start(() -> {
			try (BufferedReader err = new BufferedReader(
					new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = err.readLine()) != null) {
					log.debug("chromium: {}", line);
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		});
		return new ChromiumProcess(process, profile);
	}

	/** The DevTools messages the browser writes (its fd 4). */
	InputStream fromBrowser() {
		return this.process.getInputStream();
	}

	/** Where the browser reads DevTools messages (its fd 3). */
	OutputStream toBrowser() {
		return this.process.getOutputStream();
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
