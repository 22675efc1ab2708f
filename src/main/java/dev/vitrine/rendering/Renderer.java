package dev.vitrine.rendering;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * Turns HTML into a PDF or a PNG with headless Chromium. Each render gets a fresh browser
 * context (no cookies, cache or storage shared between renders; one is made ahead as a
 * spare), disposed whatever happens, no network (every request but the page itself
 * fails), and a hard deadline that holds even when the page's script never yields. At
 * most {@code concurrency} renders run at once. The browser is launched when a render
 * needs it, relaunched when it crashes or its connection drops (renders in flight then
 * fail at once, and their jobs retry), recycled after many renders or when it holds too
 * much memory, and closed after {@code idleTimeout} without renders. This class holds the
 * slots and metrics; {@link Browsers} the browser's life, {@link Pages} the page
 * commands.
 */
public class Renderer implements SmartLifecycle {

	/**
	 * The timeout of the jobs that render (module documents declares them with it). The
	 * settings are checked against it: one render, its launch included, can end before
	 * it, else every job would be interrupted and its failure no longer say why. That is
	 * all the check promises: a job that first waited for a render slot, or the résumé's
	 * two renders (A4, then Letter) each launching the browser, can still pass it when
	 * both limits are near it; such a job is interrupted and retried.
	 */
	public static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);

	private static final Logger log = LoggerFactory.getLogger(Renderer.class);

	private final RenderingSettings settings;

	private final Semaphore permits;

	/** Disposes used contexts, prepares the spare and closes an idle browser. */
	private final ScheduledExecutorService housekeeping = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("chromium-housekeeping").factory());

	private final MeterRegistry registry;

	private final Counter blocked;

	private final Browsers browsers;

	private final Pages pages;

	private volatile boolean running;

	Renderer(RenderingSettings settings, JsonMapper json, MeterRegistry registry) {
		this.settings = settings;
		this.registry = registry;
		this.permits = new Semaphore(settings.effectiveConcurrency(), true);
		this.blocked = Counter.builder("vitrine.rendering.requests.blocked")
			.description("Requests a rendered page made and the browser refused (pages render offline)")
			.register(registry);
		this.browsers = new Browsers(settings, json, registry, this.housekeeping, (url) -> {
			this.blocked.increment();
			log.debug("Rendering: refused a page's request for {}", abbreviate(url));
		});
		this.pages = new Pages(this.browsers, this.housekeeping, settings.deadline());
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
		this.pages.keepSpare(keep);
	}

	/**
	 * For tests: every page rendered from now on reports its Network events (method and
	 * params) to {@code trace}; {@code null} stops.
	 */
	void traceNetwork(Consumer<JsonNode> trace) {
		this.pages.traceNetwork(trace);
	}

	/**
	 * Why rendering is unavailable (no browser found, launch failed), or empty when it
	 * works. A browser closed for being idle is no problem: the next render launches it.
	 */
	Optional<String> problem() {
		return this.browsers.problem();
	}

	/** The running browser's process id, for tests and diagnostics. */
	Optional<Long> browserPid() {
		return this.browsers.pid();
	}

	private byte[] render(String kind, String html, int[] viewport, Pages.Capture capture) {
		Timer.Sample sample = Timer.start(this.registry);
		String outcome = "failure";
		boolean acquired = false;
		try {
			// the longest a render holding a slot takes: a launch, then its page
			Duration slotWait = this.settings.launchTimeout().plus(this.settings.deadline());
			acquired = this.permits.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS);
			if (!acquired) {
				throw new RenderException("no render slot came free within " + slotWait.toSeconds() + " s");
			}
			// may launch the browser, bounded by the launch timeout
			Browser current = this.browsers.acquire();
			// the page's time starts with the browser up: a launch, after the idle close
			// say, must not use up the deadline of the render that waited for it
			Instant deadline = Instant.now().plus(this.settings.deadline());
			try {
				byte[] result = this.pages.render(current, html, viewport, capture, deadline);
				outcome = "success";
				return result;
			}
			finally {
				this.browsers.release(current);
			}
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
				this.permits.release();
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

	private static String abbreviate(String url) {
		return (url.length() > 200) ? url.substring(0, 200) + "…" : url;
	}

	/**
	 * Finds the browser at startup, so a missing one shows in health before any render.
	 */
	@Override
	public void start() {
		this.running = true;
		try {
			this.browsers.check();
		}
		catch (CdpException ex) {
			log.warn("Rendering: {}; render jobs will wait and retry", ex.getMessage());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.pages.stop();
		this.browsers.close();
		this.housekeeping.shutdownNow();
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

}
