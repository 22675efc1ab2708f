package dev.vitrine.rendering;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The browser's life: launched when a render needs it, relaunched when it crashed or its
 * connection dropped, recycled after many renders or when it holds too much memory, and
 * closed after {@code idleTimeout} without renders, since a portfolio renders a few times
 * a day and an idle Chromium holds hundreds of megabytes.
 */
final class Browsers {

	private static final Logger log = LoggerFactory.getLogger(Browsers.class);

	private final RenderingSettings settings;

	private final JsonMapper json;

	private final MeterRegistry registry;

	private final ScheduledExecutorService housekeeping;

	private final Consumer<String> blocked;

	/**
	 * Launches from one long-lived thread: the browser is tied to it (parent-death
	 * signal), so it dies with this JVM even on SIGKILL.
	 */
	private final ExecutorService launcher = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("chromium-launcher").factory());

	private Browser browser;

	private LaunchReason nextLaunch = LaunchReason.DEMAND;

	private int inUse;

	private long lastUse;

	private int rendersSinceLaunch;

	private boolean recycleRequested;

	private volatile String problem;

	/**
	 * @param blocked told the URL of each request a page made and the browser refused
	 */
	Browsers(RenderingSettings settings, JsonMapper json, MeterRegistry registry, ScheduledExecutorService housekeeping,
			Consumer<String> blocked) {
		this.settings = settings;
		this.json = json;
		this.registry = registry;
		this.housekeeping = housekeeping;
		this.blocked = blocked;
		for (LaunchReason reason : LaunchReason.values()) {
			launches(reason);
		}
	}

	/**
	 * The browser for one render, launched if there is none; give it back with
	 * {@link #release}.
	 */
	synchronized Browser acquire() throws CdpException {
		Browser current = running();
		this.inUse++;
		return current;
	}

	/**
	 * A render is done: counts it, recycles the browser when that is due and nothing is
	 * in flight, and plans the idle close.
	 */
	synchronized void release(Browser used) {
		this.inUse--;
		this.lastUse = System.nanoTime();
		if (this.browser != used) {
			return;
		}
		this.rendersSinceLaunch++;
		if (this.rendersSinceLaunch >= this.settings.recycleAfter()) {
			this.recycleRequested = true;
		}
		else if (used.process().residentBytes() > this.settings.memoryLimit().toBytes()) {
			log.info("Rendering: the browser holds more than {} MB; recycling it",
					this.settings.memoryLimit().toMegabytes());
			this.recycleRequested = true;
		}
		if (this.recycleRequested && this.inUse == 0) {
			closeBrowser(LaunchReason.RECYCLE);
			return;
		}
		Duration idle = this.settings.idleTimeout();
		if (!idle.isZero() && this.inUse == 0) {
			try {
				this.housekeeping.schedule(this::closeIfIdle, idle.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// stopping: the browser is closed anyway
			}
		}
	}

	/**
	 * A browser that failed a command it should not: killed, the next render relaunches.
	 */
	synchronized void discard(Browser broken) {
		broken.close();
		if (this.browser == broken) {
			this.browser = null;
			this.nextLaunch = LaunchReason.CRASH;
		}
	}

	Optional<String> problem() {
		return Optional.ofNullable(this.problem);
	}

	synchronized Optional<Long> pid() {
		return (this.browser != null && this.browser.process().isAlive()) ? Optional.of(this.browser.process().pid())
				: Optional.empty();
	}

	/** Finds the executable, so a missing one shows in health before any render. */
	void check() throws CdpException {
		locate();
	}

	synchronized void close() {
		if (this.browser != null) {
			this.browser.close();
			this.browser = null;
		}
		this.launcher.shutdownNow();
	}

	private void closeIfIdle() {
		synchronized (this) {
			long idleNanos = System.nanoTime() - this.lastUse;
			if (this.browser == null || this.inUse > 0 || idleNanos < this.settings.idleTimeout().toNanos()) {
				// in use, or used since: a later check closes it
				return;
			}
			log.info("Rendering: no render for {} s; closing Chromium (pid {}) until the next one",
					TimeUnit.NANOSECONDS.toSeconds(idleNanos), this.browser.process().pid());
			closeBrowser(LaunchReason.DEMAND);
		}
	}

	private void closeBrowser(LaunchReason next) {
		this.browser.close();
		this.browser = null;
		this.nextLaunch = next;
	}

	private Browser running() throws CdpException {
		if (this.browser != null && this.browser.isUsable()) {
			return this.browser;
		}
		if (this.browser != null) {
			log.warn("Rendering: the browser (pid {}) is gone; launching a new one", this.browser.process().pid());
			this.browser.close();
			this.browser = null;
			this.nextLaunch = LaunchReason.CRASH;
		}
		Path executable = locate();
		CompletableFuture<Browser> launch;
		try {
			launch = CompletableFuture.supplyAsync(() -> launch(executable), this.launcher);
		}
		catch (RejectedExecutionException ex) {
			throw new CdpException("rendering is stopping", ex);
		}
		try {
			// bounded by the launch timeout: connect kills a browser not ready by then
			Browser started = launch.get();
			this.browser = started;
			this.rendersSinceLaunch = 0;
			this.recycleRequested = false;
			this.problem = null;
			launches(this.nextLaunch).increment();
			log.info("Rendering: Chromium started (pid {}, {}, {})", started.process().pid(), executable,
					this.nextLaunch.description);
			return started;
		}
		catch (InterruptedException ex) {
			// the render was cancelled, timed out or stopped, but the launch goes on: its
			// browser, stored nowhere, would outlive it with its profile. Closed once up,
			// on the launcher thread (or here: get() cleared the interrupt, so the kill
			// can still wait for the processes to exit)
			launch.whenComplete((orphan, failure) -> {
				if (orphan != null) {
					log.info("Rendering: closing Chromium (pid {}), started for a render that was interrupted",
							orphan.process().pid());
					orphan.close();
				}
			});
			Thread.currentThread().interrupt();
			throw new CdpException("interrupted while starting the browser", ex);
		}
		catch (ExecutionException ex) {
			String reason = (ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage();
			this.problem = reason;
			throw new CdpException(reason, ex.getCause());
		}
	}

	/** On the launcher thread, which the browser is tied to. */
	private Browser launch(Path executable) {
		try {
			return Browser.connect(ChromiumProcess.launch(executable), this.json, this.settings.launchTimeout(),
					this.blocked);
		}
		catch (CdpException ex) {
			// get() hands the cause on in its ExecutionException
			throw new CompletionException(ex);
		}
	}

	private Path locate() throws CdpException {
		Path configured = this.settings.configuredPath();
		if (configured != null) {
			if (!Files.isExecutable(configured)) {
				this.problem = RenderingSettings.CHROMIUM_PATH.envVar() + "=" + configured
						+ " is not an executable file";
				throw new CdpException(this.problem);
			}
			return configured;
		}
		String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
		for (String name : new String[] { "chromium", "chromium-headless-shell" }) {
			for (String dir : path.split(":")) {
				Path candidate = Path.of(dir, name);
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		this.problem = "no browser: install Debian's chromium (or chromium-headless-shell), or set "
				+ RenderingSettings.CHROMIUM_PATH.envVar();
		throw new CdpException(this.problem);
	}

	private Counter launches(LaunchReason reason) {
		return Counter.builder("vitrine.rendering.browser.launches")
			.description("Chromium launches, by reason: demand (first render, or after the idle close),"
					+ " recycle (renders or memory) and crash (gone, or wedged)")
			.tag("reason", reason.name().toLowerCase(Locale.ROOT))
			.register(this.registry);
	}

	/** Why a browser was launched, for the launch counter. */
	enum LaunchReason {

		DEMAND("a render needs it"), RECYCLE("recycled"), CRASH("after a crash");

		private final String description;

		LaunchReason(String description) {
			this.description = description;
		}

	}

}
