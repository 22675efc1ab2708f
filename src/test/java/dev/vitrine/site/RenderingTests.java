package dev.vitrine.site;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryChange;
import dev.vitrine.content.EntryKind;
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
 * published article's og:image returns its card, and an edit renders a new one.
 */
class RenderingTests {

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

		int queued = app.bean(Renders.class).rerenderAll();

		assertThat(queued).isGreaterThanOrEqualTo(8);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> jdbc.sql("SELECT rendered_at FROM rendered_file WHERE name = 'cards/home.png'")
				.query(Timestamp.class)
				.single()
				.toInstant()
				.isAfter(before));
	}

	private static void assertCard(WebSession visitor, String url) throws Exception {
		HttpResponse<byte[]> card = visitor.getBytes(url.replaceFirst("^https?://[^/]+", ""));
		assertThat(card.statusCode()).isEqualTo(200);
		assertThat(card.headers().firstValue("Content-Type")).hasValue("image/png");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(card.body()));
		assertThat(image.getWidth()).isEqualTo(1200);
		assertThat(image.getHeight()).isEqualTo(630);
	}

	private static String ogImage(String page) {
		Matcher matcher = OG_IMAGE.matcher(page);
		return matcher.find() ? matcher.group(1) : "";
	}

}
