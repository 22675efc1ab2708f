package dev.vitrine.documents;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryChange;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Media;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.content.Profile;
import dev.vitrine.content.ProfileChange;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.rendering.PageRequests;
import dev.vitrine.rendering.Renderer;
import dev.vitrine.rendering.PdfImages;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rendering end to end on the embedded default (every role, Debian's Chromium): the
 * résumé PDF and the social cards appear on the site after the worker renders them, a
 * published article's og:image returns its card, and an edit renders a new one; the PDF
 * embeds uploaded images while no request leaves the page.
 */
class DocumentsTests {

	private static final Pattern OG_IMAGE = Pattern.compile("<meta property=\"og:image\" content=\"([^\"]+)\">");

	private static RunningApp app;

	private static int port;

	@BeforeAll
	static void start() {
		app = RunningApp.start("rendering", "vitrine.roles=all");
		port = app.port();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void theResumePdfAppearsAndTheResumePageLinksIt() throws Exception {
		WebSession visitor = new WebSession(port);

		await().atMost(Duration.ofSeconds(60)).until(() -> visitor.getBytes("/resume.pdf").statusCode() == 200);

		HttpResponse<byte[]> pdf = visitor.getBytes("/resume.pdf");
		assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
		assertThat(pdf.headers().firstValue("ETag")).isPresent();
		try (PDDocument document = Loader.loadPDF(pdf.body())) {
			assertThat(new PDFTextStripper().getText(document)).contains("Ada Example").contains("Experience");
			assertThat(document.getDocumentInformation().getAuthor()).isEqualTo("Ada Example");
			assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Ada Example · Résumé");
		}
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(visitor.get("/resume").body()).contains("href=\"/resume.pdf\"")
				.contains("href=\"/resume-letter.pdf\""));
	}

	private static List<String> imagesIn(WebSession visitor) throws IOException {
		byte[] pdf = visitor.getBytes("/resume.pdf").body();
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return PdfImages.sizes(document);
		}
	}

	@Test
	void theResumePdfEmbedsUploadedImagesAndNoRequestLeavesItsPage() throws Exception {
		WebSession visitor = new WebSession(port);
		await().atMost(Duration.ofSeconds(60)).until(() -> visitor.getBytes("/resume.pdf").statusCode() == 200);
		// wider than the page: the print page must fit it in
		Media portrait = app.bean(MediaLibrary.class).store("portrait.png", png(1600, 120));
		ContentEditor editor = app.bean(ContentEditor.class);
		Profile profile = editor.profile().orElseThrow();
		String loopback = "http://127.0.0.1:" + port + "/media/" + portrait.id() + "/portrait.png";
		String images = "\n\n![portrait](/media/" + portrait.id() + "/" + portrait.fileName()
				+ ") ![tracker](https://example.invalid/x.png) ![local](" + loopback + ")\n";
		List<String> inPdf;
		Map<String, String> requests;
		try (PageRequests watched = PageRequests.record(app.bean(Renderer.class))) {
			editor.saveProfile(new ProfileChange(profile.name(), profile.headline(), profile.location(),
					profile.email(), profile.links(), profile.bioMarkdown(), profile.resumeMarkdown() + images));

			// a render already under way when the profile changed may land first: wait
			// for the one of this edit, which embeds the portrait
			inPdf = await().atMost(Duration.ofSeconds(60))
				.until(() -> imagesIn(visitor), (sizes) -> sizes.contains("1600x120"));
			requests = watched.outcomes();
		}

		assertThat(inPdf).as("the uploaded image, embedded").contains("1600x120");
		try (PDDocument document = Loader.loadPDF(visitor.getBytes("/resume.pdf").body())) {
			assertThat(PdfImages.drawnWidthsOfPage(document)).as("images drawn, as shares of the page's width")
				.isNotEmpty()
				.allSatisfy((share) -> assertThat(share).isLessThan(0.9));
		}
		assertThat(requests).as("what the résumé page asked for, and how each ended")
			.containsKeys("https://example.invalid/x.png", loopback)
			.allSatisfy((url, outcome) -> assertThat(outcome).as(url + ", by the print template's CSP")
				.isEqualTo("refused:csp"));
	}

	@Test
	void aPublishedArticlesOgImageIsItsCardAndAnEditRendersANewOne() throws Exception {
		ContentEditor editor = app.bean(ContentEditor.class);
		Entry article = editor.create(EntryKind.ARTICLE,
				new EntryChange("Cards for everyone", "", "A summary", "Body", List.of(), "", false, true, null));
		WebSession visitor = new WebSession(port);

		String first = await().atMost(Duration.ofSeconds(60))
			.until(() -> ogImage(visitor.get("/articles/cards-for-everyone").body()),
					(url) -> url.contains("/cards/articles/cards-for-everyone.png?v="));
		assertCard(visitor, first);

		editor.update(article.id(), new EntryChange("Cards for everyone, revised", "cards-for-everyone", "A summary",
				"Body", List.of(), "", false, true, null));

		String second = await().atMost(Duration.ofSeconds(60))
			.until(() -> ogImage(visitor.get("/articles/cards-for-everyone").body()),
					(url) -> url.contains("/cards/articles/") && !url.equals(first));
		assertCard(visitor, second);
		assertThat(visitor.get("/").body()).contains("/cards/home.png?v=");
	}

	@Test
	void anArticleDeletedAndMadeAnewAtItsAddressHasACardOfANewVersion() throws Exception {
		ContentEditor editor = app.bean(ContentEditor.class);
		WebSession visitor = new WebSession(port);
		Entry first = editor.create(EntryKind.ARTICLE,
				new EntryChange("Made twice", "made-twice", "The first", "Body", List.of(), "", false, true, null));
		String firstCard = await().atMost(Duration.ofSeconds(60))
			.until(() -> ogImage(visitor.get("/articles/made-twice").body()),
					(url) -> url.contains("/cards/articles/made-twice.png?v="));
		editor.delete(first.id());

		// versions start again at 1: only the bytes tell the two cards apart
		editor.create(EntryKind.ARTICLE, new EntryChange("Made twice, and not the same", "made-twice", "The second",
				"Body", List.of(), "", false, true, null));
		String secondCard = await().atMost(Duration.ofSeconds(60))
			.until(() -> ogImage(visitor.get("/articles/made-twice").body()),
					(url) -> url.contains("/cards/articles/made-twice.png?v="));

		assertThat(secondCard).isNotEqualTo(firstCard);
		assertCard(visitor, secondCard);
	}

	@Test
	void anArticleRenamedOrDeletedLosesTheCardOfItsOldAddressAtOnce() {
		ContentEditor editor = app.bean(ContentEditor.class);
		Entry article = editor.create(EntryKind.ARTICLE,
				new EntryChange("Card to lose", "", "A summary", "Body", List.of(), "", false, true, null));
		await().atMost(Duration.ofSeconds(60)).until(() -> cards("card-to-lose") == 1);

		editor.update(article.id(),
				new EntryChange("Card to lose", "card-renamed", "A summary", "Body", List.of(), "", false, true, null));
		assertThat(cards("card-to-lose")).as("the old address's card, in the rename's transaction").isZero();
		await().atMost(Duration.ofSeconds(60)).until(() -> cards("card-renamed") == 1);

		editor.delete(article.id());
		assertThat(cards("card-renamed")).as("in the delete's transaction").isZero();
	}

	private static int cards(String slug) {
		return app.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM rendered_file WHERE name = ?")
			.param("cards/articles/" + slug + ".png")
			.query(Integer.class)
			.single();
	}

	@Test
	void aScheduledArticleHasItsCardWhenItGoesLive() throws Exception {
		ContentEditor editor = app.bean(ContentEditor.class);
		Instant live = Instant.now().plusSeconds(8).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		editor.create(EntryKind.ARTICLE,
				new EntryChange("Scheduled with a card", "", "A summary", "Body", List.of(), "", false, true, live));
		WebSession visitor = new WebSession(port);
		assertThat(visitor.get("/articles/scheduled-with-a-card").statusCode()).isEqualTo(404);

		// not at the nightly renders: soon after it goes live
		String card = await().atMost(Duration.ofSeconds(60)).until(() -> {
			HttpResponse<String> page = visitor.get("/articles/scheduled-with-a-card");
			return (page.statusCode() == 200) ? ogImage(page.body()) : "";
		}, (url) -> url.contains("/cards/articles/scheduled-with-a-card.png?v="));
		assertCard(visitor, card);
	}

	@Test
	void theAdminRendersEverythingAgainOnDemand() {
		JdbcClient jdbc = app.bean(JdbcClient.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.sql("SELECT count(*) FROM rendered_file WHERE name = 'cards/home.png'")
				.query(Integer.class)
				.single() == 1);
		Instant before = jdbc.sql("SELECT rendered_at FROM rendered_file WHERE name = 'cards/home.png'")
			.query(Timestamp.class)
			.single()
			.toInstant();

		int queued = app.bean(Documents.class).rerenderAll();

		assertThat(queued).isGreaterThanOrEqualTo(8);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.sql("SELECT rendered_at FROM rendered_file WHERE name = 'cards/home.png'")
				.query(Timestamp.class)
				.single()
				.toInstant()
				.isAfter(before));
	}

	@Test
	void aRenderAgainOnDemandIsNotSwallowedByAWaitingRenderThatWouldSkipACurrentFile() {
		Jobs jobs = app.bean(Jobs.class);
		List<Jobs.Pausable> queues = List.of(Jobs.Pausable.queue(DocumentJobs.CARD.queue()),
				Jobs.Pausable.queue(DocumentJobs.RESUME.queue()));
		queues.forEach(jobs::pause);
		try {
			app.bean(DocumentJobs.class).card(new Card.Home(), false);
			app.bean(DocumentJobs.class).resume(false);

			app.bean(Documents.class).rerenderAll();
			app.bean(Documents.class).rerenderAll();

			List<String> waiting = app.bean(JdbcClient.class)
				.sql("""
						SELECT type || ' force=' || (payload ->> 'force') FROM job
						WHERE state = 'pending' AND attempt = 0
						  AND (type = :resume OR (type = :card AND payload ->> 'section' = 'home'))
						ORDER BY 1""")
				.param("resume", DocumentJobs.RESUME.name())
				.param("card", DocumentJobs.CARD.name())
				.query(String.class)
				.list();
			assertThat(waiting).containsExactly(DocumentJobs.CARD.name() + " force=false",
					DocumentJobs.CARD.name() + " force=true", DocumentJobs.RESUME.name() + " force=false",
					DocumentJobs.RESUME.name() + " force=true");
		}
		finally {
			queues.forEach(jobs::resume);
		}
	}

	private static void assertCard(WebSession visitor, String url) throws Exception {
		HttpResponse<byte[]> card = visitor.getBytes(url.replaceFirst("^https?://[^/]+", ""));
		assertThat(card.statusCode()).isEqualTo(200);
		assertThat(card.headers().firstValue("Content-Type")).hasValue("image/png");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(card.body()));
		assertThat(image.getWidth()).isEqualTo(1200);
		assertThat(image.getHeight()).isEqualTo(630);
	}

	private static byte[] png(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				image.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | 0x80);
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private static String ogImage(String page) {
		Matcher matcher = OG_IMAGE.matcher(page);
		return matcher.find() ? matcher.group(1) : "";
	}

}
