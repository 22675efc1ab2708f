package dev.vitrine.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HealthCheck;
import dev.vitrine.support.Http;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.DockerImageName;

import static org.awaitility.Awaitility.await;

/**
 * A container of one of the images, run the way a deployment should run it: on the host's
 * network (only 127.0.0.1 is reached), with a read-only root filesystem and a tmpfs at
 * {@code /tmp}, no capabilities and no new privileges; or as the caller configures it.
 * Its output is kept in memory and in {@code target/it-logs/image-NAME.log}.
 */
final class ImageContainer implements AutoCloseable {

	private final String name;

	private final String image;

	private final GenericContainer<?> container;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Writer log;

	private ImageContainer(String name, String image, GenericContainer<?> container) {
		this.name = name;
		this.image = image;
		try {
			this.log = Files.newBufferedWriter(
					Files.createDirectories(Path.of("target", "it-logs")).resolve("image-" + name + ".log"),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.container = container.withLogConsumer(this::keep);
	}

	/**
	 * Starts a container of {@code image} and waits until its process answers
	 * {@code /health/} on {@code healthPort} with 200.
	 * @param sharedMemoryBytes {@code /dev/shm}: Chromium needs more than the default
	 */
	static ImageContainer start(String name, String image, int healthPort, Map<String, String> environment,
			long sharedMemoryBytes) {
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("host")
			.withEnv(environment)
			.withTmpFs(Map.of("/tmp", "rw,mode=1777"))
			.withSharedMemorySize(sharedMemoryBytes)
			.withCreateContainerCmdModifier((create) -> create.getHostConfig()
				.withReadonlyRootfs(true)
				.withCapDrop(Capability.ALL)
				.withSecurityOpts(List.of("no-new-privileges")));
		return start(name, image, container, "/health/ on port " + healthPort, () -> answers(healthPort));
	}

	/**
	 * Starts {@code container}, configured by the caller, and waits until {@code ready}
	 * (polled) holds.
	 * @param readiness what {@code ready} checks, for the error when it stops first
	 */
	static ImageContainer start(String name, String image, GenericContainer<?> container, String readiness,
			Callable<Boolean> ready) {
		ImageContainer started = new ImageContainer(name, image, container);
		started.container.start();
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!started.container.isRunning()) {
				throw new AssertionError(name + " (" + image + ") stopped before " + readiness + " (" + started.state()
						+ "):\n" + started.output());
			}
			return ready.call();
		});
		return started;
	}

	/**
	 * Runs the starts side by side, each on a thread of its own, and returns their
	 * containers in order. If one fails, closes those that started and throws its error.
	 */
	static List<ImageContainer> startSideBySide(List<Supplier<ImageContainer>> starts) {
		List<CompletableFuture<ImageContainer>> futures;
		try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
			futures = starts.stream().map((start) -> CompletableFuture.supplyAsync(start, threads)).toList();
		}
		// every start has ended here (closing the executor waits for them)
		List<ImageContainer> started = new ArrayList<>();
		Throwable failed = null;
		for (CompletableFuture<ImageContainer> future : futures) {
			try {
				started.add(future.join());
			}
			catch (CompletionException ex) {
				failed = (failed != null) ? failed : ex.getCause();
			}
		}
		if (failed != null) {
			started.forEach(ImageContainer::close);
			switch (failed) {
				case RuntimeException ex -> throw ex;
				case Error error -> throw error;
				default -> throw new IllegalStateException(failed);
			}
		}
		return started;
	}

	static boolean answers(int port) {
		try {
			return Http.get(port, "/health/").statusCode() == 200;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	String name() {
		return this.name;
	}

	String image() {
		return this.image;
	}

	String output() {
		return String.join("\n", this.lines);
	}

	/**
	 * Runs the image's own HEALTHCHECK command in the container, as the engine does on
	 * its timer (podman without systemd has no timer).
	 */
	ExecResult runHealthcheck() throws IOException, InterruptedException {
		// the container's config, which the engine filled from the image (podman's
		// image inspect leaves it out)
		HealthCheck healthcheck = this.container.getDockerClient()
			.inspectContainerCmd(this.container.getContainerId())
			.exec()
			.getConfig()
			.getHealthcheck();
		List<String> test = (healthcheck != null && healthcheck.getTest() != null) ? healthcheck.getTest() : List.of();
		if (test.isEmpty() || test.getFirst().equals("NONE")) {
			throw new AssertionError(this.image + " has no HEALTHCHECK");
		}
		List<String> command = switch (test.getFirst()) {
			case "CMD" -> test.subList(1, test.size());
			case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
			default -> test;
		};
		return this.container.execInContainer(command.toArray(String[]::new));
	}

	/**
	 * One entry of a jar (or zip) file in the container, read through the engine's copy.
	 */
	byte[] fileFromJar(String jar, String entry) {
		return this.container.copyFileFromContainer(jar, (in) -> {
			try (ZipInputStream zip = new ZipInputStream(in)) {
				for (ZipEntry each = zip.getNextEntry(); each != null; each = zip.getNextEntry()) {
					if (each.getName().equals(entry)) {
						return zip.readAllBytes();
					}
				}
			}
			throw new AssertionError(jar + " in " + this.name + " has no " + entry);
		});
	}

	/** Runs a command in the container. */
	ExecResult exec(String... command) throws IOException, InterruptedException {
		return this.container.execInContainer(command);
	}

	/**
	 * The real and effective user ids of every process in the container, by process id,
	 * as this host's kernel sees them ({@code /proc/PID/status} of its first process and
	 * their descendants).
	 */
	Map<Long, String> processUids() throws IOException {
		Map<Long, String> uids = new TreeMap<>();
		processStatus().forEach((pid, status) -> {
			// real, effective, saved, filesystem
			String[] ids = status.get("Uid").split("\\s+");
			uids.put(pid, ids[0] + " " + ids[1]);
		});
		return uids;
	}

	/**
	 * The names of the container's processes by process id, each with its state
	 * ({@code /proc/PID/status}: {@code chromium-headle S (sleeping)}, {@code java Z
	 * (zombie)}).
	 */
	Map<Long, String> processStates() throws IOException {
		Map<Long, String> states = new TreeMap<>();
		processStatus().forEach((pid, status) -> states.put(pid, status.get("Name") + " " + status.get("State")));
		return states;
	}

	/**
	 * {@code /proc/PID/status} of each process in the container, field by name: one read
	 * of each file, so that a pid reused meanwhile never mixes two processes' fields.
	 */
	private Map<Long, Map<String, String>> processStatus() throws IOException {
		long pid = firstProcess();
		Map<Long, Map<String, String>> statuses = new TreeMap<>();
		List<ProcessHandle> processes = new ArrayList<>();
		ProcessHandle.of(pid).ifPresent((first) -> {
			processes.add(first);
			first.descendants().forEach(processes::add);
		});
		for (ProcessHandle process : processes) {
			try {
				Map<String, String> fields = new HashMap<>();
				for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
					int colon = line.indexOf(':');
					if (colon > 0) {
						fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
					}
				}
				statuses.put(process.pid(), fields);
			}
			catch (NoSuchFileException ex) {
				// ended meanwhile (a Chromium helper, a health probe)
			}
		}
		if (statuses.isEmpty()) {
			throw new AssertionError("no processes of " + this.name + " seen from this host (pid " + pid + ")");
		}
		return statuses;
	}

	/**
	 * The options of the root filesystem's mount as the container's own process sees it
	 * ({@code /proc/PID/mountinfo} of its first process, on this host).
	 */
	List<String> rootMountOptions() throws IOException {
		Path mountinfo = Path.of("/proc", String.valueOf(firstProcess()), "mountinfo");
		List<String> options = null;
		for (String line : Files.readAllLines(mountinfo)) {
			// ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS ...
			String[] fields = line.split(" ");
			if (fields.length > 5 && fields[4].equals("/")) {
				options = List.of(fields[5].split(","));
			}
		}
		if (options == null) {
			throw new AssertionError("no root mount in " + mountinfo);
		}
		return options;
	}

	/**
	 * Whether the container still runs and whether the engine saw it killed for memory.
	 */
	State state() {
		var state = this.container.getDockerClient()
			.inspectContainerCmd(this.container.getContainerId())
			.exec()
			.getState();
		return new State(Boolean.TRUE.equals(state.getRunning()), Boolean.TRUE.equals(state.getOOMKilled()),
				state.getExitCodeLong());
	}

	/**
	 * The container's memory cgroup as this host's kernel counts it: its high-water mark
	 * (cgroup v2 {@code memory.peak}, v1 {@code memory.max_usage_in_bytes}, page cache
	 * included) and how many of its processes the kernel killed for memory (a Chromium
	 * child may be killed while the container runs on).
	 */
	MemoryUse memoryUse() throws IOException {
		Path cgroups = Path.of("/proc", String.valueOf(firstProcess()), "cgroup");
		for (String line : Files.readAllLines(cgroups)) {
			// ID:CONTROLLERS:PATH; v2's single hierarchy has ID 0 and no controllers
			String[] fields = line.split(":", 3);
			if (fields[1].equals("memory")) {
				Path group = Path.of("/sys/fs/cgroup/memory" + fields[2]);
				return new MemoryUse(number(group.resolve("memory.max_usage_in_bytes")),
						field(group.resolve("memory.oom_control"), "oom_kill"));
			}
			if (fields[0].equals("0") && fields[1].isEmpty()
					&& Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
				Path group = Path.of("/sys/fs/cgroup" + fields[2]);
				return new MemoryUse(number(group.resolve("memory.peak")),
						field(group.resolve("memory.events"), "oom_kill"));
			}
		}
		throw new AssertionError("no memory cgroup of " + this.name + " in " + cgroups);
	}

	private static long number(Path file) throws IOException {
		return Long.parseLong(Files.readString(file).strip());
	}

	private static long field(Path file, String name) throws IOException {
		for (String line : Files.readAllLines(file)) {
			String[] pair = line.split(" ");
			if (pair[0].equals(name)) {
				return Long.parseLong(pair[1]);
			}
		}
		throw new AssertionError("no " + name + " in " + file + " (a kernel older than 4.13?)");
	}

	/**
	 * @param exitCode null while it runs
	 */
	record State(boolean running, boolean oomKilled, Long exitCode) {
	}

	/**
	 * @param peakBytes the cgroup's high-water mark
	 * @param oomKills processes the kernel killed for the cgroup's limit
	 */
	record MemoryUse(long peakBytes, long oomKills) {

		long peakMegabytes() {
			return this.peakBytes >> 20;
		}

	}

	private long firstProcess() {
		Long pid = this.container.getDockerClient()
			.inspectContainerCmd(this.container.getContainerId())
			.exec()
			.getState()
			.getPidLong();
		if (pid == null || pid <= 0 || !Files.isReadable(Path.of("/proc", String.valueOf(pid), "status"))) {
			throw new AssertionError(this.name + "'s first process (pid " + pid
					+ ") is not visible here: the engine must run on this host");
		}
		return pid;
	}

	private void keep(OutputFrame frame) {
		if (frame.getType() == OutputFrame.OutputType.END) {
			return;
		}
		String text = frame.getUtf8StringWithoutLineEnding();
		this.lines.add(text);
		try {
			synchronized (this.log) {
				this.log.write(text);
				this.log.write('\n');
				this.log.flush();
			}
		}
		catch (IOException ex) {
			// the lines are kept in memory all the same
		}
	}

	/**
	 * Runs {@code sh -c script} in the container, as {@code docker compose exec -T}
	 * would.
	 * @return its standard output
	 * @throws AssertionError naming the script and its output when it exits non-zero
	 */
	String shell(String script) {
		try {
			org.testcontainers.containers.Container.ExecResult result = this.container.execInContainer("sh", "-c",
					script);
			if (result.getExitCode() != 0) {
				throw new AssertionError("in " + this.name + ", `" + script + "` exited " + result.getExitCode() + ":\n"
						+ result.getStdout() + result.getStderr());
			}
			return result.getStdout();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running `" + script + "` in " + this.name, ex);
		}
	}

	@Override
	public void close() {
		this.container.stop();
		try {
			this.log.close();
		}
		catch (IOException ex) {
			// nothing left to write
		}
	}

}
