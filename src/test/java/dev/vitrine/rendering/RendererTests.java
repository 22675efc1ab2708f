package dev.vitrine.rendering;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpServer;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.LargePng;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The renderer against Debian's real Chromium: PDFs with text, pages and metadata, PNGs
 * of the exact size, no request leaving a page, a deadline that holds against a page that
 * never yields, recovery after the browser is killed, the browser closed when idle and
 * relaunched, recycled after its renders or above its memory limit, a context of its own
 * for each render and disposed whatever the outcome, and no process left behind, not even
 * when the JVM is killed.
 */
class RendererTests {

	private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private static Renderer renderer;

	@BeforeAll
	static void start() {
		// a deadline well above a render's time on a busy machine: one of 4 s failed a
		// clean-clone CI run's first render (Page.enable, the browser just launched); the
		// deadline itself is tested on a renderer of its own
		renderer = new Renderer(new RenderingSettings("", Duration.ofSeconds(30), 2, 500, DataSize.ofGigabytes(2),
				Duration.ofSeconds(30), Duration.ZERO), JsonMapper.builder().build(), registry);
		renderer.start();
	}

	@AfterAll
	static void stop() {
		renderer.stop();
	}

	@Test
	void aPdfHasThePagesTextLinksAndMetadataOfItsHtml() throws IOException {
		String html = "<!DOCTYPE html><html><head><title>Ada · Résumé</title></head><body>"
				+ "<h1>Ada Example</h1><p>Résumé text, <a href=\"https://example.com/ada\">with a link</a>.</p>"
				+ "<p style=\"break-before: page\">Second page</p></body></html>";

		byte[] pdf = renderer.pdf(html, PaperSize.A4, "Ada · Résumé", "Ada Example");

		try (PDDocument document = Loader.loadPDF(pdf)) {
			assertThat(document.getNumberOfPages()).isEqualTo(2);
			String text = new PDFTextStripper().getText(document);
			assertThat(text).contains("Ada Example").contains("Résumé text, with a link").contains("Second page");
			assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Ada · Résumé");
			assertThat(document.getDocumentInformation().getAuthor()).isEqualTo("Ada Example");
			assertThat(document.getPage(0).getAnnotations())
				.anySatisfy((annotation) -> assertThat(annotation.getCOSObject().toString())
					.contains("https://example.com/ada"));
			// A4 is 595 × 842 points
			assertThat(document.getPage(0).getMediaBox().getWidth()).isBetween(594f, 597f);
		}
		try (PDDocument letter = Loader.loadPDF(renderer.pdf(html, PaperSize.LETTER))) {
			assertThat(letter.getPage(0).getMediaBox().getWidth()).isBetween(611f, 613f);
		}
	}

	@Test
	void aPngIsExactlyTheAskedSizeAndNotBlank() throws IOException {
		String html = "<html><body style=\"margin:0;background:#15171a;color:#fff;font:60px sans-serif\">"
				+ "<h1 style=\"margin:100px\">A card</h1></body></html>";

		BufferedImage image = ImageIO.read(new ByteArrayInputStream(renderer.png(html, 1200, 630)));

		assertThat(image.getWidth()).isEqualTo(1200);
		assertThat(image.getHeight()).isEqualTo(630);
		Set<Integer> colours = new HashSet<>();
		for (int x = 0; x < 1200; x += 7) {
			for (int y = 0; y < 630; y += 7) {
				colours.add(image.getRGB(x, y));
			}
		}
		assertThat(colours).as("background and text colours").hasSizeGreaterThan(2);
		assertThat(image.getRGB(5, 5) & 0xFFFFFF).isEqualTo(0x15171A);
	}

	@Test
	void noRequestLeavesARenderedPageAndItsInlineImagesStillShow() throws Exception {
		// a loopback server would see a request that got out; alone it proves little, as
		// Chromium refuses a data: page's requests to loopback anyway
		AtomicInteger canaryHits = new AtomicInteger();
		HttpServer canary = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		canary.createContext("/", (exchange) -> {
			canaryHits.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		canary.start();
		String loopback = "http://127.0.0.1:" + canary.getAddress().getPort() + "/canary.png";
		String html = "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"https://example.invalid/s.css\">"
				+ "</head><body><h1>Offline</h1><img src=\"https://example.invalid/x.png\"><img src=\"" + loopback
				+ "\"><img src=\"/media/1/relative.png\"><img src=\"" + pngDataUri(40, 30) + "\">"
				+ "<iframe src=\"https://example.invalid/frame\"></iframe>"
				+ "<script>const x = new XMLHttpRequest(); x.open('GET', 'https://example.invalid/xhr', false);"
				+ " try { x.send(); } catch (e) {}</script></body></html>";
		double blockedBefore = registry.counter("vitrine.rendering.requests.blocked").count();
		byte[] pdf;
		Map<String, String> outcomes;
		try (PageRequests requests = PageRequests.record(renderer)) {
			pdf = renderer.pdf(html, PaperSize.A4);
			outcomes = requests.outcomes();
		}
		finally {
			canary.stop(0);
		}

		assertThat(outcomes).as("what the page asked for, and how each ended")
			.containsKeys("https://example.invalid/s.css", "https://example.invalid/x.png", loopback,
					"https://example.invalid/frame", "https://example.invalid/xhr")
			.allSatisfy((url, outcome) -> assertThat(outcome).as(url).isEqualTo("refused:inspector"));
		assertThat(canaryHits).hasValue(0);
		assertThat(registry.counter("vitrine.rendering.requests.blocked").count() - blockedBefore)
			.isGreaterThanOrEqualTo(5);
		try (PDDocument document = Loader.loadPDF(pdf)) {
			assertThat(new PDFTextStripper().getText(document)).contains("Offline");
			assertThat(PdfImages.sizes(document)).as("the data: image, as an image in the PDF").contains("40x30");
		}
	}

	@Test
	void aPageWithImagesLargerThanAUrlMayHoldIsRenderedWhole() throws IOException {
		// noise does not compress: about 1.7 MB of PNG, 2.2 MB as a data: URI; a page is
		// more than Chromium takes as a URL (2 MB) once it holds that
		String html = "<!DOCTYPE html><html><body><h1>A large photo</h1><img src=\"data:image/png;base64,"
				+ Base64.getEncoder().encodeToString(LargePng.noise(820, 700, 7)) + "\"></body></html>";

		byte[] pdf = renderer.pdf(html, PaperSize.A4);

		assertThat(html.length()).isGreaterThan(2 * 1024 * 1024);
		try (PDDocument document = Loader.loadPDF(pdf)) {
			assertThat(new PDFTextStripper().getText(document)).contains("A large photo");
			assertThat(PdfImages.sizes(document)).contains("820x700");
		}
	}

	@Test
	void aPageThatNeverYieldsFailsWithinTheDeadlineAndTheNextRenderWorks() {
		Renderer own = new Renderer(
				new RenderingSettings("", Duration.ofSeconds(8), 1, 500, DataSize.ofGigabytes(2),
						Duration.ofSeconds(30), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		own.start();
		try {
			// ends by the deadline's doing, not by hanging until the test's own bound
			assertTimeoutPreemptively(Duration.ofMinutes(1),
					() -> assertThatExceptionOfType(RenderException.class)
						.isThrownBy(() -> own.png("<script>while (true) {}</script>", 400, 300))
						.withMessageContaining("before the render deadline"));
			assertThat(own.png("<p>fine</p>", 400, 300)).isNotEmpty();
		}
		finally {
			own.stop();
		}
	}

	@Test
	void killingTheBrowserMidRenderFailsThatRenderFastAndTheNextOneRelaunches() throws Exception {
		renderer.png("<p>warm</p>", 100, 100);
		long pid = renderer.browserPid().orElseThrow();
		CompletableFuture<byte[]> slow = CompletableFuture.supplyAsync(() -> renderer.png(
				"<script>const end = Date.now() + 3000; while (Date.now() < end) {}" + "</script><p>slow</p>", 100,
				100));
		Thread.sleep(500);

		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

		assertThat(slow).failsWithin(Duration.ofSeconds(3));
		assertThat(renderer.png("<p>after</p>", 100, 100)).isNotEmpty();
		assertThat(renderer.browserPid()).hasValueSatisfying((relaunched) -> assertThat(relaunched).isNotEqualTo(pid));
	}

	@Test
	void stoppingLeavesNoBrowserProcessBehind() {
		Renderer own = new Renderer(
				new RenderingSettings("", Duration.ofSeconds(10), 1, 500, DataSize.ofGigabytes(2),
						Duration.ofSeconds(30), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		own.start();
		own.png("<p>x</p>", 50, 50);
		long pid = own.browserPid().orElseThrow();
		List<ProcessHandle> tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();
		assertThat(tree).as("Chromium's helper processes").isNotEmpty();

		own.stop();

		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
		assertThat(tree).noneMatch(ProcessHandle::isAlive);
	}

	private static String pngDataUri(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 0x40);
			}
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(image, "png", png);
		return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
	}

	@Test
	void anIdleBrowserIsClosedWithItsProcessesAndTheNextRenderLaunchesItAgain() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Renderer idle = new Renderer(new RenderingSettings("", Duration.ofSeconds(10), 1, 500, DataSize.ofGigabytes(2),
				Duration.ofSeconds(30), Duration.ofSeconds(1)), JsonMapper.builder().build(), meters);
		idle.start();
		try {
			idle.png("<p>first</p>", 50, 50);
			long pid = idle.browserPid().orElseThrow();
			List<ProcessHandle> tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();
			assertThat(tree).as("Chromium's helper processes").isNotEmpty();

			await().atMost(Duration.ofSeconds(30)).until(() -> idle.browserPid().isEmpty());

			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
			assertThat(tree).noneMatch(ProcessHandle::isAlive);
			assertThat(idle.problem()).as("an idle close is no problem").isEmpty();
			assertThat(idle.png("<p>again</p>", 50, 50)).isNotEmpty();
			assertThat(idle.browserPid()).hasValueSatisfying((relaunched) -> assertThat(relaunched).isNotEqualTo(pid));
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "demand").count()).isEqualTo(2);
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "crash").count()).isZero();
		}
		finally {
			idle.stop();
		}
	}

	@Test
	void aBrowserIsRecycledAfterTheRendersItIsAllowed() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Renderer recycled = new Renderer(new RenderingSettings("", Duration.ofSeconds(10), 1, 2,
				DataSize.ofGigabytes(8), Duration.ofSeconds(30), Duration.ZERO), JsonMapper.builder().build(), meters);
		recycled.start();
		try {
			List<Long> pids = new ArrayList<>();
			for (int render = 1; render <= 3; render++) {
				assertThat(recycled.png("<p>render " + render + "</p>", 50, 50)).isNotEmpty();
				// none (-1) once the second render's end has recycled the browser
				pids.add(recycled.browserPid().orElse(-1L));
			}

			assertThat(pids.get(0)).as("the first browser").isPositive();
			assertThat(pids.get(1)).as("closed as its second render ended").isEqualTo(-1L);
			assertThat(pids.get(2)).as("the third render's browser").isPositive().isNotEqualTo(pids.get(0));
			assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "demand").count()).isEqualTo(1);
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "recycle").count()).isEqualTo(1);
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "crash").count()).isZero();
		}
		finally {
			recycled.stop();
		}
	}

	@Test
	void aBrowserAboveItsMemoryLimitIsRecycledAfterTheRender() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		// the least limit the settings take, well under what Chromium's processes hold
		// (over 300 MB here); the page holds 256 MB more until its context is disposed
		Renderer recycled = new Renderer(new RenderingSettings("", Duration.ofSeconds(10), 1, 500,
				DataSize.ofMegabytes(128), Duration.ofSeconds(30), Duration.ZERO), JsonMapper.builder().build(),
				meters);
		recycled.start();
		try {
			String html = "<p>heavy</p><script>window.held = new Uint8Array(256 * 1024 * 1024).fill(1);</script>";
			recycled.png(html, 50, 50);
			long pid = recycled.browserPid().orElse(-1L);
			recycled.png("<p>next</p>", 50, 50);

			assertThat(pid).as("the first browser, closed as its render ended").isEqualTo(-1L);
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "demand").count()).isEqualTo(1);
			assertThat(meters.counter("vitrine.rendering.browser.launches", "reason", "recycle").count()).isEqualTo(1);
		}
		finally {
			recycled.stop();
		}
	}

	@Test
	void aRenderSeesNothingThePreviousRenderLeft() throws IOException {
		// what a page could leave behind: storage and cookies (refused today to these
		// about:blank pages, whose origin is opaque: a context shared by renders shows
		// in the next test, not here) and its window's name, globals and history
		String leave = "<p id=out style=\"font-size:10px\"></p><script>const done = [];"
				+ "const leave = (what, write) => { try { write(); done.push(what); }"
				+ " catch (e) { done.push(what + ' refused'); } };"
				+ "leave('localStorage', () => localStorage.setItem('left', 'leftbyrenderone'));"
				+ "leave('sessionStorage', () => sessionStorage.setItem('left', 'leftbyrenderone'));"
				+ "leave('cookie', () => { document.cookie = 'left=leftbyrenderone'; });"
				+ "leave('name', () => { window.name = 'leftbyrenderone'; });"
				+ "leave('global', () => { window.left = 'leftbyrenderone'; });"
				+ "history.pushState(null, '', '#leftbyrenderone');"
				+ "document.getElementById('out').textContent = 'left: ' + done.join(', ');</script>";
		String look = "<p id=out style=\"font-size:10px\"></p><script>const seen = [];"
				+ "const look = (what, read) => { try { seen.push(what + ' ' + read()); }"
				+ " catch (e) { seen.push(what + ' refused'); } };"
				+ "look('localStorage', () => localStorage.getItem('left'));"
				+ "look('sessionStorage', () => sessionStorage.getItem('left'));"
				+ "look('cookie', () => document.cookie);" + "look('name', () => window.name);"
				+ "look('global', () => window.left);" + "look('history', () => history.length + location.hash);"
				+ "document.getElementById('out').textContent = 'seen: ' + seen.join(', ');</script>";

		String left = text(renderer.pdf(leave, PaperSize.A4));
		String seen = text(renderer.pdf(look, PaperSize.A4));

		assertThat(left).as("what the first render left").contains("left: ").contains("name").contains("global");
		assertThat(seen).as("what the second render found").contains("seen: ").doesNotContain("leftbyrenderone");
	}

	@Test
	void everyRendersContextIsDisposedWhetherItSucceedsFailsOrRunsOutOfTime() throws Exception {
		RenderingSettings settings = new RenderingSettings("", Duration.ofSeconds(10), 1, 500, DataSize.ofGigabytes(2),
				Duration.ofSeconds(30), Duration.ZERO);
		ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
		Browsers browsers = new Browsers(settings, JsonMapper.builder().build(), new SimpleMeterRegistry(),
				housekeeping, new CopyOnWriteArrayList<String>()::add);
		Pages pages = new Pages(browsers, housekeeping, settings.deadline());
		Browser browser = browsers.acquire();
		try {
			Set<String> before = contexts(browser, housekeeping);

			pages.render(browser, "<p>fine</p>", null, RendererTests::printToPdf, Instant.now().plusSeconds(10));
			Set<String> afterSuccess = contexts(browser, housekeeping);
			assertThatExceptionOfType(CdpException.class).isThrownBy(() -> pages.render(browser, "<p>fails</p>", null,
					RendererTests::noSuchCommand, Instant.now().plusSeconds(10)));
			Set<String> afterFailure = contexts(browser, housekeeping);
			assertThatExceptionOfType(CdpException.class)
				.isThrownBy(() -> pages.render(browser, "<script>while (true) {}</script>", null,
						RendererTests::printToPdf, Instant.now().plusSeconds(3)))
				.withMessageContaining("before the render deadline");
			Set<String> afterTimeout = contexts(browser, housekeeping);

			assertThat(before).isEmpty();
			// the one left is the spare made for the next render; the one before it was
			// the render's own (a context each, never shared) and is gone
			assertThat(afterSuccess).as("after a render").hasSize(1);
			assertThat(afterFailure).as("after a failed render").hasSize(1).doesNotContainAnyElementsOf(afterSuccess);
			assertThat(afterTimeout).as("after a render that ran out of time")
				.hasSize(1)
				.doesNotContainAnyElementsOf(afterFailure);
			assertThat(browsers.pid()).as("the same browser all along, not a relaunch that took the contexts along")
				.hasValue(browser.process().pid());
		}
		finally {
			browsers.release(browser);
			pages.stop();
			browsers.close();
			housekeeping.shutdownNow();
		}
	}

	/**
	 * The browser's contexts once {@code housekeeping} has done what the renders gave it:
	 * disposing their contexts and making the spare.
	 */
	private static Set<String> contexts(Browser browser, ExecutorService housekeeping) throws Exception {
		housekeeping.submit(() -> {
		}).get(30, TimeUnit.SECONDS);
		Set<String> contexts = new HashSet<>();
		browser.connection()
			.call("Target.getBrowserContexts", Map.of(), null, Instant.now().plusSeconds(10))
			.path("browserContextIds")
			.forEach((id) -> contexts.add(id.asString()));
		return contexts;
	}

	private static String printToPdf(CdpConnection cdp, String session, Instant deadline) throws CdpException {
		return cdp.call("Page.printToPDF", Map.of(), session, deadline).path("data").asString();
	}

	/** A capture that fails, as the browser refusing a command does. */
	private static String noSuchCommand(CdpConnection cdp, String session, Instant deadline) throws CdpException {
		return cdp.call("Page.noSuchCommand", Map.of(), session, deadline).asString();
	}

	private static String text(byte[] pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return new PDFTextStripper().getText(document);
		}
	}

	@Test
	void aWedgedBrowserAndItsHelpersDieWithTheirJvmEvenWhenItIsKilled() throws Exception {
		List<ProcessHandle> tree = List.of();
		try (AppProcess jvm = AppProcess.startMain("rendering-jvm", RenderingJvmMain.class, Map.of())) {
			long pid = Long.parseLong(jvm.awaitLine("browser pid (\\d+)", Duration.ofMinutes(1)).group(1));
			ProcessHandle browser = ProcessHandle.of(pid).orElseThrow();
			tree = Stream.concat(Stream.of(browser), browser.descendants()).toList();
			assertThat(tree).as("the browser and its helper processes").hasSizeGreaterThan(1);
			// a browser that runs quits by itself when its DevTools pipe closes with the
			// JVM; a wedged one (frozen here) does not: only the parent-death signal
			// kills it
			assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor()).isZero();

			// SIGKILL, as the OOM killer does: no shutdown hook, no Renderer.stop
			jvm.kill();

			List<ProcessHandle> processes = tree;
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(processes).as("Chromium's processes").noneMatch(RendererTests::running));
		}
		finally {
			// left running when the test fails
			tree.forEach(ProcessHandle::destroyForcibly);
		}
	}

	/**
	 * Alive, and not a zombie: a browser that died after its parent JVM waits there until
	 * whatever adopted it reaps it.
	 */
	private static boolean running(ProcessHandle process) {
		if (!process.isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Test
	void aRenderInterruptedWhileTheBrowserStartsLeavesNoBrowserAndNoProfileBehind(@TempDir Path dir) throws Exception {
		Path slow = slowChromium(dir, 3);
		Renderer own = new Renderer(
				new RenderingSettings(slow.toString(), Duration.ofSeconds(10), 1, 500, DataSize.ofGigabytes(2),
						Duration.ofSeconds(60), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		own.start();
		try {
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread render = Thread.ofPlatform().start(() -> {
				try {
					own.png("<p>never</p>", 50, 50);
				}
				catch (RuntimeException ex) {
					failure.set(ex);
				}
			});
			// the launch is under way: the wrapper sleeps, then execs the browser
			Path profile = await().atMost(Duration.ofSeconds(30))
				.until(() -> profileOf(slow), Optional::isPresent)
				.orElseThrow();

			// as a job's cancel, timeout or the shutdown grace does
			render.interrupt();
			render.join(Duration.ofMinutes(1));

			assertThat(failure.get()).isInstanceOf(RenderException.class).hasMessageContaining("interrupted");
			// the launch ends after the render gave up: its browser must not outlive it
			await().atMost(Duration.ofMinutes(1))
				.untilAsserted(
						() -> assertThat(processesNaming(profile)).as("Chromium processes of %s", profile).isEmpty());
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(profile));
			assertThat(own.png("<p>next</p>", 50, 50)).isNotEmpty();
		}
		finally {
			own.stop();
		}
	}

	@Test
	void theFirstRenderAfterALaunchLongerThanTheDeadlineStillGetsItsWholeDeadline(@TempDir Path dir)
			throws IOException {
		// the browser takes longer to start than a render may take, well within the
		// launch timeout, as a first render after the idle close on a busy machine can
		Renderer own = new Renderer(
				new RenderingSettings(slowChromium(dir, 10).toString(), Duration.ofSeconds(8), 1, 500,
						DataSize.ofGigabytes(2), Duration.ofSeconds(60), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		own.start();
		try {
			assertThat(own.png("<p>first</p>", 50, 50)).isNotEmpty();
		}
		finally {
			own.stop();
		}
	}

	@Test
	void aRenderThatFailsBeforeItsPageLoadsLeavesNoWaiterForTheLoad() throws CdpException {
		RenderingSettings settings = new RenderingSettings("", Duration.ofSeconds(10), 1, 500, DataSize.ofGigabytes(2),
				Duration.ofSeconds(30), Duration.ZERO);
		ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
		List<String> refused = new CopyOnWriteArrayList<>();
		Browsers browsers = new Browsers(settings, JsonMapper.builder().build(), new SimpleMeterRegistry(),
				housekeeping, refused::add);
		Pages pages = new Pages(browsers, housekeeping, settings.deadline());
		Browser browser = browsers.acquire();
		try {
			// a script that never yields: the document is never set, or never loads
			assertThatExceptionOfType(CdpException.class)
				.isThrownBy(() -> pages.render(browser, "<script>while (true) {}</script>", null,
						(cdp, session, deadline) -> "", Instant.now().plus(settings.deadline())))
				.withMessageMatching(
						"Page\\.(setDocumentContent|loadEventFired) did not finish before the render deadline");

			// one left per failed render, for as long as the browser runs
			assertThat(browser.connection().waiting()).isZero();
		}
		finally {
			browsers.release(browser);
			pages.stop();
			browsers.close();
			housekeeping.shutdownNow();
		}
	}

	/** A browser that sleeps {@code seconds} before it starts. */
	private static Path slowChromium(Path dir, int seconds) throws IOException {
		Path script = dir.resolve("slow-chromium");
		Files.writeString(script, "#!/bin/sh\nsleep " + seconds + "\nexec /usr/bin/chromium \"$@\"\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

	/** The profile directory this JVM's launch of {@code executable} was given. */
	private static Optional<Path> profileOf(Path executable) {
		return ProcessHandle.current()
			.descendants()
			.flatMap((process) -> process.info().arguments().stream())
			.filter((arguments) -> List.of(arguments).contains(executable.toString()))
			.flatMap(Arrays::stream)
			.filter((argument) -> argument.startsWith("--user-data-dir="))
			.map((argument) -> Path.of(argument.substring("--user-data-dir=".length())))
			.findFirst();
	}

	/**
	 * This JVM's descendants started with {@code profile}: the browser and its helpers.
	 */
	private static List<ProcessHandle> processesNaming(Path profile) {
		return ProcessHandle.current()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.filter((process) -> process.info()
				.arguments()
				.stream()
				.flatMap(Arrays::stream)
				.anyMatch((argument) -> argument.equals("--user-data-dir=" + profile)))
			.toList();
	}

	@Test
	void withoutABrowserRenderingSaysWhyAndFails() {
		Renderer none = new Renderer(new RenderingSettings("/nonexistent/chromium", Duration.ofSeconds(5), 1, 500,
				DataSize.ofGigabytes(2), Duration.ofSeconds(5), Duration.ZERO), JsonMapper.builder().build(),
				new SimpleMeterRegistry());

		assertThatExceptionOfType(RenderException.class).isThrownBy(() -> none.png("<p>x</p>", 10, 10))
			.withMessageContaining("VITRINE_RENDERING_CHROMIUM_PATH=/nonexistent/chromium is not an executable file");
		assertThat(none.problem())
			.hasValueSatisfying((reason) -> assertThat(reason).contains("VITRINE_RENDERING_CHROMIUM_PATH"));
	}

}
