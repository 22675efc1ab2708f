package dev.vitrine.rendering;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * Turns HTML into a PDF or a PNG with one long-lived Chromium. Each render gets a fresh
 * browser context (no cookies, cache or storage shared between renders; one is made ahead
 * as a spare), disposed whatever happens, and a hard deadline that holds even when the
 * page's script never yields. At most {@code concurrency} renders run at once. The
 * browser is launched on first use, relaunched when it crashes or its connection drops
 * (renders in flight then fail at once, and their jobs retry), and recycled after many
 * renders or when it holds too much memory.
 */
public class Renderer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Renderer.class);

	private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(5);

	private final RenderingSettings settings;

	private final JsonMapper json;

	private final Semaphore permits;

	private final AtomicInteger inFlight = new AtomicInteger();

	/**
	 * Launches from one long-lived thread: the browser is tied to it (parent-death
	 * signal), so it dies with this JVM even on SIGKILL.
	 */
	private final ExecutorService launcher = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("chromium-launcher").factory());

	/** Disposes used contexts and prepares the spare, off the renders' time. */
	private final ScheduledExecutorService housekeeping = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("chromium-housekeeping").factory());

	/** A spare is made only after renders have paused this long. */
	private static final Duration IDLE_BEFORE_SPARE = Duration.ofMillis(150);

	private volatile long lastStart;

	private final AtomicReference<Tab> spare = new AtomicReference<>();

	private final MeterRegistry registry;

	private final Counter launches;

	private Browser browser;

	private int rendersSinceLaunch;

	private boolean recycleRequested;

	private volatile String problem;

	private volatile boolean running;

	private volatile boolean keepSpare = true;

	Renderer(RenderingSettings settings, JsonMapper json, MeterRegistry registry) {
		this.settings = settings;
		this.json = json;
		this.registry = registry;
		this.permits = new Semaphore(settings.effectiveConcurrency(), true);
		this.launches = Counter.builder("vitrine.rendering.browser.launches")
			.description("Chromium launches: the first, and each relaunch after a crash or recycle")
			.register(registry);
	}

	/**
	 * A PDF of the HTML on the given paper, with its backgrounds, links and selectable
	 * text, titled and signed with {@code author} in its metadata.
	 */
	public byte[] pdf(String html, PaperSize paper, String title, String author) {
		return PdfMetadata.apply(pdf(html, paper), title, author);
	}

	/** A PDF of the HTML on the given paper, with its backgrounds, links and text. */
	public byte[] pdf(String html, PaperSize paper) {
		return render("pdf", html, null, (cdp, session, deadline) -> {
			Map<String, Object> options = new LinkedHashMap<>();
			options.put("paperWidth", paper.width());
			options.put("paperHeight", paper.height());
			options.put("printBackground", true);
			options.put("preferCSSPageSize", false);
			options.put("marginTop", 0);
			options.put("marginBottom", 0);
			options.put("marginLeft", 0);
			options.put("marginRight", 0);
			return cdp.call("Page.printToPDF", options, session, deadline).path("data").asString();
		});
	}

	/** A PNG of exactly {@code width} × {@code height} CSS pixels of the HTML. */
	public byte[] png(String html, int width, int height) {
		return render("png", html, new int[] { width, height }, (cdp, session, deadline) -> cdp
			.call("Page.captureScreenshot",
					Map.of("format", "png", "captureBeyondViewport", false, "clip",
							Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)),
					session, deadline)
			.path("data")
			.asString());
	}

	/**
	 * For the benchmark's comparison: without a spare, every render makes its context.
	 */
	void keepSpare(boolean keep) {
		this.keepSpare = keep;
	}

	/**
	 * Why rendering is unavailable (no browser found, launch failed), or empty when it
	 * works.
	 */
	public Optional<String> problem() {
		return Optional.ofNullable(this.problem);
	}

	/** The running browser's process id, for tests and diagnostics. */
	public Optional<Long> browserPid() {
		Browser current = this.browser;
		return (current != null && current.process().isAlive()) ? Optional.of(current.process().pid())
				: Optional.empty();
	}

	private byte[] render(String kind, String html, int[] viewport, Capture capture) {
		Instant deadline = Instant.now().plus(this.settings.deadline());
		Timer.Sample sample = Timer.start(this.registry);
		String outcome = "failure";
		boolean acquired = false;
		try {
			acquired = this.permits.tryAcquire(Duration.between(Instant.now(), deadline).toMillis(),
					TimeUnit.MILLISECONDS);
			if (!acquired) {
				throw new RenderException("no render slot came free before the deadline");
			}
			this.inFlight.incrementAndGet();
			this.lastStart = System.nanoTime();
			Browser current = browser();
			byte[] result = renderIn(current, html, viewport, capture, deadline);
			outcome = "success";
			return result;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RenderException("interrupted", ex);
		}
		catch (CdpException ex) {
			throw new RenderException(kind + " render failed: " + ex.getMessage(), ex);
		}
		finally {
			if (acquired) {
				this.inFlight.decrementAndGet();
				this.permits.release();
				afterRender();
			}
			sample.stop(Timer.builder("vitrine.rendering.duration")
				.description("Time to render one document, from asking to bytes")
				.tag("kind", kind)
				.tag("outcome", outcome)
				// buckets, so the dashboard can show percentiles across workers
				.publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofMillis(10))
				.maximumExpectedValue(Duration.ofSeconds(60))
				.register(this.registry));
		}
	}

	private byte[] renderIn(Browser current, String html, int[] viewport, Capture capture, Instant deadline)
			throws CdpException {
		CdpConnection cdp = current.connection();
		Tab tab = takeSpare(current);
		if (tab == null) {
			tab = openTab(current, deadline);
		}
		try {
			if (viewport != null) {
				cdp.call("Emulation.setDeviceMetricsOverride",
						Map.of("width", viewport[0], "height", viewport[1], "deviceScaleFactor", 1, "mobile", false),
						tab.session(), deadline);
			}
			CdpConnection.EventWaiter loaded = cdp.expect("Page.loadEventFired", tab.session());
			String url = "data:text/html;charset=utf-8;base64,"
					+ Base64.getEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8));
			JsonNode navigation = cdp.call("Page.navigate", Map.of("url", url), tab.session(), deadline);
			if (navigation.has("errorText") && !navigation.path("errorText").asString().isEmpty()) {
				throw new CdpException("the page did not load: " + navigation.path("errorText").asString());
			}
			loaded.await(deadline);
			// web fonts, if any, before the snapshot
			cdp.call("Runtime.evaluate",
					Map.of("expression", "document.fonts.ready.then(() => true)", "awaitPromise", true), tab.session(),
					deadline);
			return Base64.getDecoder().decode(capture.capture(cdp, tab.session(), deadline));
		}
		finally {
			// off the caller's time: the used context goes, a fresh spare is made for the
			// next
			Tab used = tab;
			this.housekeeping.execute(() -> {
				dispose(current, used.context());
				prepareSpare(current);
			});
		}
	}

	/**
	 * A new browser context with one blank page, attached. Isolation between renders
	 * needs a context (and so a renderer process) each; making it is most of a warm
	 * render's time, so one is kept ready as a spare.
	 */
	private Tab openTab(Browser current, Instant deadline) throws CdpException {
		CdpConnection cdp = current.connection();
		String context = cdp.call("Target.createBrowserContext", Map.of("disposeOnDetach", true), null, deadline)
			.path("browserContextId")
			.asString();
		try {
			String target = cdp
				.call("Target.createTarget", Map.of("url", "about:blank", "browserContextId", context), null, deadline)
				.path("targetId")
				.asString();
			String session = cdp
				.call("Target.attachToTarget", Map.of("targetId", target, "flatten", true), null, deadline)
				.path("sessionId")
				.asString();
			cdp.call("Page.enable", Map.of(), session, deadline);
			return new Tab(current, context, session);
		}
		catch (CdpException ex) {
			dispose(current, context);
			throw ex;
		}
	}

	private Tab takeSpare(Browser current) {
		Tab tab = this.spare.getAndSet(null);
		if (tab != null && tab.browser() != current) {
			// made by a browser since replaced: it went with it
			return null;
		}
		return tab;
	}

	private void prepareSpare(Browser current) {
		if (!this.running || !this.keepSpare || this.spare.get() != null || !current.connection().isOpen()) {
			return;
		}
		try {
			Tab tab = openTab(current, Instant.now().plus(this.settings.deadline()));
			if (!this.spare.compareAndSet(null, tab)) {
				dispose(current, tab.context());
			}
		}
		catch (CdpException ex) {
			log.debug("Rendering: no spare context ({}); the next render makes its own", ex.getMessage());
		}
	}

	/**
	 * Disposes the render's context. If the browser cannot even do that (a renderer stuck
	 * in a loop can wedge it), it is killed and the next render gets a new one.
	 */
	private void dispose(Browser current, String context) {
		if (!current.connection().isOpen()) {
			// the browser is gone or was recycled, and its contexts with it
			return;
		}
		try {
			current.connection()
				.call("Target.disposeBrowserContext", Map.of("browserContextId", context), null,
						Instant.now().plus(CLEANUP_DEADLINE));
		}
		catch (CdpException ex) {
			log.warn("Rendering: could not dispose a browser context ({}); relaunching the browser", ex.getMessage());
			discard(current);
		}
	}

	private synchronized Browser browser() throws CdpException {
		if (this.browser != null && this.browser.process().isAlive() && this.browser.connection().isOpen()) {
			return this.browser;
		}
		if (this.browser != null) {
			log.warn("Rendering: the browser (pid {}) is gone; launching a new one", this.browser.process().pid());
			this.browser.close();
			this.browser = null;
		}
		Path executable = locate();
		try {
			ChromiumProcess process = this.launcher
				.submit(() -> ChromiumProcess.launch(executable, this.settings.launchTimeout()))
				.get();
			CdpConnection connection;
			try {
				connection = new CdpConnection(process.endpoint(), this.json, Duration.ofSeconds(10));
			}
			catch (CdpException ex) {
				process.close();
				throw ex;
			}
			this.browser = new Browser(process, connection);
			this.rendersSinceLaunch = 0;
			this.recycleRequested = false;
			this.problem = null;
			this.launches.increment();
			log.info("Rendering: Chromium started (pid {}, {})", process.pid(), executable);
			return this.browser;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CdpException("interrupted while starting the browser", ex);
		}
		catch (ExecutionException ex) {
			String reason = (ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage();
			this.problem = reason;
			throw new CdpException(reason, ex.getCause());
		}
		catch (CdpException ex) {
			this.problem = ex.getMessage();
			throw ex;
		}
	}

	private Path locate() throws CdpException {
		Path configured = this.settings.configuredPath();
		if (configured != null) {
			if (!Files.isExecutable(configured)) {
				this.problem = "VITRINE_CHROMIUM_PATH=" + configured + " is not an executable file";
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
		this.problem = "no browser: install Debian's chromium (or chromium-headless-shell), or set VITRINE_CHROMIUM_PATH";
		throw new CdpException(this.problem);
	}

	/**
	 * Counts the render; recycles the browser when it is due and nothing is in flight.
	 */
	private synchronized void afterRender() {
		Browser current = this.browser;
		if (current == null) {
			return;
		}
		this.rendersSinceLaunch++;
		if (this.rendersSinceLaunch >= this.settings.recycleAfter()) {
			this.recycleRequested = true;
		}
		else if (current.process().residentBytes() > this.settings.memoryLimit().toBytes()) {
			log.info("Rendering: the browser holds more than {} MB; recycling it",
					this.settings.memoryLimit().toMegabytes());
			this.recycleRequested = true;
		}
		if (this.recycleRequested && this.inFlight.get() == 0) {
			current.close();
			this.browser = null;
		}
	}

	private synchronized void discard(Browser broken) {
		broken.close();
		if (this.browser == broken) {
			this.browser = null;
		}
	}

	/**
	 * Finds the browser at startup, so a missing one shows in health before any render.
	 */
	@Override
	public void start() {
		this.running = true;
		try {
			locate();
		}
		catch (CdpException ex) {
			log.warn("Rendering: {}; render jobs will wait and retry", ex.getMessage());
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.browser != null) {
			this.browser.close();
			this.browser = null;
		}
		this.spare.set(null);
		this.housekeeping.shutdownNow();
		this.launcher.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops after the job worker, which may still be finishing renders. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private interface Capture {

		String capture(CdpConnection cdp, String session, Instant deadline) throws CdpException;

	}

	/** A browser context with its page, ready for one render. */
	private record Tab(Browser browser, String context, String session) {
	}

	private record Browser(ChromiumProcess process, CdpConnection connection) {

		void close() {
			this.connection.close();
			this.process.close();
		}

	}

}
