package dev.vitrine.rendering;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One render's page commands, each in a fresh browser context (no cookies, cache or
 * storage shared between renders) disposed afterwards, and the spare context made ahead
 * for the next render.
 */
final class Pages {

	private static final Logger log = LoggerFactory.getLogger(Pages.class);

	private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(5);

	private final Browsers browsers;

	private final ExecutorService housekeeping;

	private final Duration spareDeadline;

	private final AtomicReference<Tab> spare = new AtomicReference<>();

	private volatile boolean keepSpare = true;

	private volatile boolean stopped;

	private volatile Consumer<JsonNode> networkTrace;

	/**
	 * @param housekeeping disposes used contexts and prepares the spare, off the renders'
	 * time
	 */
	Pages(Browsers browsers, ExecutorService housekeeping, Duration spareDeadline) {
		this.browsers = browsers;
		this.housekeeping = housekeeping;
		this.spareDeadline = spareDeadline;
	}

	/** Loads the HTML in a fresh context of the browser and captures it. */
	byte[] render(Browser current, String html, int[] viewport, Capture capture, Instant deadline) throws CdpException {
		CdpConnection cdp = current.connection();
		Tab tab = takeSpare(current);
		if (tab == null) {
			tab = openTab(current, deadline);
		}
		Consumer<JsonNode> trace = this.networkTrace;
		AutoCloseable tracing = null;
		try {
			if (trace != null) {
				tracing = cdp.listen("Network.", tab.session(), trace);
				cdp.call("Network.enable", Map.of(), tab.session(), deadline);
			}
			if (viewport != null) {
				cdp.call("Emulation.setDeviceMetricsOverride",
						Map.of("width", viewport[0], "height", viewport[1], "deviceScaleFactor", 1, "mobile", false),
						tab.session(), deadline);
			}
			// the blank page's document is replaced, not navigated away from: a data: URL
			// holds at most 2 MB, less than a résumé with a photo or two inlined
			String frame = cdp.call("Page.getFrameTree", Map.of(), tab.session(), deadline)
				.path("frameTree")
				.path("frame")
				.path("id")
				.asString();
			CdpConnection.EventWaiter loaded = cdp.expect("Page.loadEventFired", tab.session());
			try {
				cdp.call("Page.setDocumentContent", Map.of("frameId", frame, "html", html), tab.session(), deadline);
				loaded.await(deadline);
			}
			finally {
				// failed before the event: the waiter would stay while the browser runs
				cdp.forget(loaded);
			}
			// web fonts, if any, before the snapshot
			cdp.call("Runtime.evaluate",
					Map.of("expression", "document.fonts.ready.then(() => true)", "awaitPromise", true), tab.session(),
					deadline);
			return Base64.getDecoder().decode(capture.capture(cdp, tab.session(), deadline));
		}
		finally {
			if (tracing != null) {
				closeQuietly(tracing);
			}
			// off the caller's time: the used context goes, a fresh spare is made
			Tab used = tab;
			try {
				this.housekeeping.execute(() -> {
					dispose(current, used.context());
					prepareSpare(current);
				});
			}
			catch (RejectedExecutionException ex) {
				// stopping: the browser goes with its contexts
			}
		}
	}

	/**
	 * For the benchmark's comparison: without a spare, every render makes its context.
	 */
	void keepSpare(boolean keep) {
		this.keepSpare = keep;
	}

	/**
	 * For tests: the Network events of every page rendered from now on ({@code null} to
	 * stop).
	 */
	void traceNetwork(Consumer<JsonNode> trace) {
		this.networkTrace = trace;
	}

	void stop() {
		this.stopped = true;
		this.spare.set(null);
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
			// made by a browser since closed: it went with it
			return null;
		}
		return tab;
	}

	private void prepareSpare(Browser current) {
		if (this.stopped || !this.keepSpare || this.spare.get() != null || !current.isUsable()) {
			return;
		}
		try {
			Tab tab = openTab(current, Instant.now().plus(this.spareDeadline));
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
			// the browser is gone, recycled or closed when idle, and its contexts with it
			return;
		}
		try {
			current.connection()
				.call("Target.disposeBrowserContext", Map.of("browserContextId", context), null,
						Instant.now().plus(CLEANUP_DEADLINE));
		}
		catch (CdpException ex) {
			if (!current.connection().isOpen()) {
				return;
			}
			log.warn("Rendering: could not dispose a browser context ({}); relaunching the browser", ex.getMessage());
			this.browsers.discard(current);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// removing a listener does not fail
		}
	}

	/** What a render returns: base64 from {@code Page.printToPDF} or a screenshot. */
	interface Capture {

		String capture(CdpConnection cdp, String session, Instant deadline) throws CdpException;

	}

	/** A browser context with its page, ready for one render. */
	private record Tab(Browser browser, String context, String session) {
	}

}
