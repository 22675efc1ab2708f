package dev.vitrine.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import javax.imageio.ImageIO;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.Http;
import dev.vitrine.support.WebSession;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The image check: the container images, built beforehand ({@code .ci/build-images.sh}),
 * run as a deployment runs them and checked for what a user relies on. Each becomes
 * healthy by its own HEALTHCHECK, runs no process as root, on a read-only root
 * filesystem; the web image has no browser, the distroless one no shell; a contact
 * message sent to the web container is mailed by the worker container's job (to a real
 * SMTP server, GreenMail); the worker's Chromium renders the résumé PDF and the web
 * container serves it; metrics are on the management ports only; web and worker stay
 * within their size budgets; the application's Class-Path names only jars the image has.
 *
 * <p>
 * Runs only when {@code -Dvitrine.images=TAG} names the built images
 * ({@code localhost/vitrine/TARGET:TAG}; {@code -Dvitrine.image.TARGET=NAME} replaces
 * one), through the engine Testcontainers finds ({@code DOCKER_HOST}: Docker, or podman's
 * Docker-compatible socket, which {@code .ci/check-images.sh} starts). The containers use
 * the host's network and the tests' PostgreSQL. How long a start takes is a benchmark
 * ({@code bench/image-start.sh}), never judged here.
 */
@EnabledIfSystemProperty(named = "vitrine.images", matches = ".+",
		disabledReason = "no -Dvitrine.images=TAG: the images are not built (.ci/build-images.sh, then .ci/check-images.sh)")
class ImagesIT {

	// compressed, as a registry stores them and a host pulls them
	private static final long WEB_BUDGET_MB = 150;

	private static final long WORKER_BUDGET_MB = 600;

	private static final Set<String> BROWSERS = Set.of("chromium", "chrome", "chromium-headless-shell",
			"headless_shell");

	private static final Set<String> SHELLS_AND_PACKAGE_TOOLS = Set.of("sh", "ash", "bash", "dash", "busybox", "apt",
			"apt-get", "dpkg");

	private static GreenMail smtp;

	private static ImageContainer web;

	private static ImageContainer worker;

	private static ImageContainer monitor;

	private static ImageContainer distroless;

	// written by the starts, side by side
	private static final Map<String, Integer> publicPorts = new ConcurrentHashMap<>();

	private static final Map<String, Integer> managementPorts = new ConcurrentHashMap<>();

	// read once per image: saving and compressing an image takes seconds of CPU
	private static final Map<String, CompletableFuture<ImageArchive>> archives = new ConcurrentHashMap<>();

	@BeforeAll
	static void start() {
		smtp = new GreenMail(new ServerSetup(Http.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		Map<String, String> shared = Map.of("VITRINE_DB_URL", TestPostgres.newDatabase("images"), "VITRINE_DB_USER",
				TestPostgres.user(), "VITRINE_MAIL_HOST", "127.0.0.1", "VITRINE_MAIL_PORT",
				Integer.toString(smtp.getSmtp().getPort()), "VITRINE_MAIL_STARTTLS", "false", "VITRINE_MAIL_TO",
				"owner@example.org");
		// worker first: it migrates the schema and seeds the demo content, which the
		// web image (no migrations in a web process) waits for
		int workerPort = Http.freePort();
		managementPorts.put("worker", workerPort);
		// its browser closed 2 s after the last render, not 60: the test of the close
		// sees it
		worker = ImageContainer.start("worker", image("worker"), workerPort, with(shared, Map
			.of("VITRINE_MANAGEMENT_PORT", Integer.toString(workerPort), "VITRINE_RENDERING_IDLE_TIMEOUT", "2s")),
				256L << 20);
		// the others side by side, once the schema is there
		List<ImageContainer> others = ImageContainer.startSideBySide(List.of(
				() -> startPagesServer("web", shared,
						Map.of("VITRINE_ADMIN_EMAIL", "owner@example.org", "VITRINE_ADMIN_PASSWORD",
								"image-check-password-1")),
				() -> startPagesServer("monitor", shared, Map.of()),
				() -> startPagesServer("distroless", shared, Map.of())));
		web = others.get(0);
		monitor = others.get(1);
		distroless = others.get(2);
	}

	private static ImageContainer startPagesServer(String target, Map<String, String> shared,
			Map<String, String> extra) {
		int port = Http.freePort();
		int management = Http.freePort();
		publicPorts.put(target, port);
		managementPorts.put(target, management);
		Map<String, String> environment = with(shared,
				Map.of("SERVER_PORT", Integer.toString(port), "VITRINE_MANAGEMENT_PORT", Integer.toString(management)));
		return ImageContainer.start(target, image(target), port, with(environment, extra), 64L << 20);
	}

	@AfterAll
	static void stop() {
		for (ImageContainer container : new ImageContainer[] { distroless, monitor, worker, web }) {
			if (container != null) {
				container.close();
			}
		}
		if (smtp != null) {
			smtp.stop();
		}
	}

	@Test
	void everyContainerPassesItsImagesOwnHealthcheck() throws Exception {
		for (ImageContainer container : all()) {
			ExecResult result = container.runHealthcheck();
			assertThat(result.getExitCode())
				.as("%s's HEALTHCHECK: %s%s", container.name(), result.getStdout(), result.getStderr())
				.isZero();
		}
	}

	@Test
	void noProcessRunsAsRoot() throws Exception {
		for (ImageContainer container : all()) {
			Map<Long, String> uids = container.processUids();
			assertThat(uids).as("the real and effective uids of %s's processes", container.name())
				.allSatisfy((pid, ids) -> assertThat(ids.split(" ")).doesNotContain("0"));
		}
	}

	@Test
	void everyContainerRunsOnAReadOnlyRootFilesystem() throws Exception {
		for (ImageContainer container : all()) {
			assertThat(container.rootMountOptions()).as("the options of %s's root mount", container.name())
				.contains("ro");
		}
	}

	@Test
	void theWebImageHasNoBrowser() throws Exception {
		ImageArchive archive = archive(web);
		assertThat(archive.filesNamed(BROWSERS)).as("browsers in %s", web.image()).isEmpty();
	}

	@Test
	void theDistrolessImageHasNoShellAndNoPackageManager() throws Exception {
		ImageArchive archive = archive(distroless);
		assertThat(archive.filesNamed(SHELLS_AND_PACKAGE_TOOLS))
			.as("shells and package tools in %s", distroless.image())
			.isEmpty();
		Throwable failed = catchThrowable(() -> {
			ExecResult result = distroless.exec("/bin/sh", "-c", "true");
			if (result.getExitCode() != 0) {
				throw new IllegalStateException("exit " + result.getExitCode());
			}
		});
		assertThat(failed).as("a shell started in the distroless container").isNotNull();
	}

	@Test
	void theApplicationsClassPathNamesOnlyJarsTheImageHas() throws Exception {
		for (ImageContainer container : all()) {
			Manifest manifest = new Manifest(
					new ByteArrayInputStream(container.fileFromJar("/app/vitrine.jar", "META-INF/MANIFEST.MF")));
			String classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
			Set<String> files = archive(container).files();
			List<String> jars = List.of(classPath.split(" "));
			assertThat(jars).as("the Class-Path of %s's /app/vitrine.jar", container.image()).hasSizeGreaterThan(50);
			assertThat(jars.stream().filter((jar) -> !files.contains("/app/" + jar)))
				.as("jars on the Class-Path of %s's /app/vitrine.jar that it does not have", container.image())
				.isEmpty();
		}
	}

	@Test
	void webAndWorkerStayWithinTheirSizeBudgets() throws Exception {
		// side by side: compressing is single-threaded, each on a core of its own
		archiveRead(web);
		ImageArchive workerArchive = archive(worker);
		ImageArchive webArchive = archive(web);
		// a figure for the log; the budgets below are the check
		for (ImageArchive archive : List.of(webArchive, workerArchive)) {
			System.out.printf("image %s: %d MB compressed, %d MB on disk%n", archive.image(),
					archive.compressedMegabytes(), archive.onDiskMegabytes());
		}
		assertThat(webArchive.compressedMegabytes()).as("web, compressed MB").isLessThanOrEqualTo(WEB_BUDGET_MB);
		assertThat(workerArchive.compressedMegabytes()).as("worker, compressed MB")
			.isLessThanOrEqualTo(WORKER_BUDGET_MB);
	}

	@Test
	void aContactMessageSentToTheWebContainerIsMailedByTheWorkerContainer() throws Exception {
		String subject = "image check " + System.nanoTime();
		ContactRoundTrip.send(publicPorts.get("web"), subject, "Sent through the web container.");

		// the web role has no SMTP client (site.MailConfiguration is the worker's)
		MimeMessage mail = ContactRoundTrip.awaitMail(smtp, subject);
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("owner@example.org");
		assertThat(mail.getContent().toString()).contains("Sent through the web container.");
	}

	@Test
	void theWorkerContainerRendersTheResumePdfAndTheWebContainerServesIt() throws Exception {
		WebSession visitor = new WebSession(publicPorts.get("web"));
		awaitResumePdf(visitor);

		HttpResponse<byte[]> pdf = visitor.getBytes("/resume.pdf");

		assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
		try (PDDocument document = Loader.loadPDF(pdf.body())) {
			assertThat(new PDFTextStripper().getText(document)).contains("Ada Example");
		}
	}

	@Test
	void theWorkerContainersBrowserDrawsEmojiInColourNotAsEmptyBoxes() throws Exception {
		// a title's emoji on a social card: without an emoji font, an outlined box
		ExecResult shot = worker.exec("sh", "-c", "cd /tmp && printf '%s' '<html><body style=\"margin:0;"
				+ "background:#fff;font-size:120px\">\uD83C\uDF89</body></html>' > emoji.html"
				+ " && /usr/lib/chromium/chromium-headless-shell --no-sandbox --disable-gpu --screenshot=/tmp/emoji.png"
				+ " --window-size=200,200 file:///tmp/emoji.html >/dev/null 2>&1 && base64 -w0 /tmp/emoji.png");
		assertThat(shot.getExitCode()).as(shot.getStderr()).isZero();
		BufferedImage image = ImageIO
			.read(new ByteArrayInputStream(Base64.getDecoder().decode(shot.getStdout().strip())));

		int coloured = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y);
				int r = (rgb >> 16) & 0xff;
				int g = (rgb >> 8) & 0xff;
				int b = rgb & 0xff;
				coloured += (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) ? 1 : 0;
			}
		}
		assertThat(coloured).as("strongly coloured pixels of a 120 px party popper").isGreaterThan(1000);
	}

	@Test
	void theWorkerContainerLeavesNoZombiesWhenItClosesItsIdleBrowser() throws Exception {
		// the demo site's résumé: the worker's browser ran; the idle close ends it
		awaitResumePdf(new WebSession(publicPorts.get("web")));
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> worker.processStates().values().stream().noneMatch(ImagesIT::liveBrowserProcess));

		// the browser's helpers are handed to the container's first process as they end,
		// which must wait for them (reap them) or keep them as zombies for good
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(worker.processStates().values()).as("the worker container's processes")
				.noneMatch((process) -> process.contains("(zombie)")));
	}

	private static void awaitResumePdf(WebSession visitor) {
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> visitor.getBytes("/resume.pdf").statusCode() == 200);
	}

	private static boolean liveBrowserProcess(String process) {
		return process.startsWith("chrom") && !process.contains("(zombie)");
	}

	@Test
	void metricsAndInfoAnswerOnTheManagementPortsOnly() {
		for (Map.Entry<String, Integer> management : managementPorts.entrySet()) {
			String name = management.getKey();
			Integer publicPort = publicPorts.get(name);
			for (String path : List.of("/actuator/prometheus", "/actuator/info")) {
				assertThat(Http.get(management.getValue(), path).statusCode())
					.as("%s %s on its management port", name, path)
					.isEqualTo(200);
				if (publicPort != null) {
					assertThat(Http.get(publicPort, path).statusCode()).as("%s %s on its public port", name, path)
						.isEqualTo(404);
				}
			}
			for (String path : List.of("/actuator/env", "/actuator/heapdump")) {
				for (Integer port : (publicPort != null) ? List.of(publicPort, management.getValue())
						: List.of(management.getValue())) {
					assertThat(Http.get(port, path).statusCode()).as("%s %s on port %d", name, path, port)
						.isEqualTo(404);
				}
			}
		}
	}

	@Test
	void theWebContainerStartsWithTheSpringAotCodeGeneratedAtBuildTime() {
		assertThat(web.output()).contains("Start-up: using the code generated at build time")
			.contains("Starting AOT-processed");
	}

	private static List<ImageContainer> all() {
		return List.of(web, worker, monitor, distroless);
	}

	/**
	 * The container's image as saved by the engine; compressed (seconds of CPU) only for
	 * the images that have a size budget.
	 */
	private static ImageArchive archive(ImageContainer container) {
		try {
			return archiveRead(container).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/** The read of the container's image, started by the first to ask. */
	private static CompletableFuture<ImageArchive> archiveRead(ImageContainer container) {
		boolean budgeted = container == web || container == worker;
		return archives.computeIfAbsent(container.image(), (image) -> CompletableFuture.supplyAsync(() -> {
			try {
				return ImageArchive.read(DockerClientFactory.instance().client(), image, budgeted);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, (task) -> Thread.ofPlatform().name("archive-" + container.name()).start(task)));
	}

	private static String image(String target) {
		return System.getProperty("vitrine.image." + target,
				"localhost/vitrine/" + target + ":" + System.getProperty("vitrine.images"));
	}

	private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
		Map<String, String> all = new LinkedHashMap<>(base);
		all.putAll(more);
		return all;
	}

}
