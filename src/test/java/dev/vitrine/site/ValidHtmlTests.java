package dev.vitrine.site;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Media;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.support.Forms;
import dev.vitrine.support.HtmlChecker;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static dev.vitrine.support.EntryChanges.anEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every page the site and the admin serve is valid HTML by the Nu HTML checker, run in
 * this JVM on what real HTTP returns: the pages a visitor and the signed-in owner reach
 * by following links from the home page, the admin and the monitor, and those only a form
 * or an error shows. The site has content of every kind first: projects, dated articles
 * with an uploaded image, a résumé with its PDF, a contact message whose mail job fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class ValidHtmlTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final Pattern SETUP_LINK = Pattern.compile("/admin/setup\\?token=([A-Za-z0-9_-]+)");

	/** Followed links that lead to files, not pages, or that act. */
	private static final Pattern NOT_A_PAGE = Pattern
		.compile("^/(assets|media|cards)/.*|.*\\.(pdf|png|xml|txt|ico)$|^/logout$");

	private static final int MAX_PAGES = 150;

	/** What a browser asks for when it loads a page: error pages answer it in HTML. */
	private static final String[] BROWSER_ACCEPT = { "Accept", "text/html,application/xhtml+xml,*/*;q=0.8" };

	private static RunningApp app;

	private static int port;

	private static HtmlChecker checker;

	/** Pages only reached through a form or a one-time link, by name. */
	private static final Map<String, HttpResponse<String>> formPages = new LinkedHashMap<>();

	@BeforeAll
	static void start(CapturedOutput output) throws IOException {
		// no owner account in the settings: the log offers the one-time setup link;
		// mail goes to a port where nothing listens, so its job fails with attempts
		app = RunningApp.start("valid_html", "vitrine.roles=all", "vitrine.site.page-size=2",
				"vitrine.mail.host=127.0.0.1", "vitrine.mail.port=" + Http.freePort(), "vitrine.mail.starttls=false",
				"vitrine.mail.to=owner@example.com", "vitrine.mail.from=site@example.com");
		port = app.port();
		checker = new HtmlChecker();
		createTheOwnerThroughTheSetupLink(output);
		createContent();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void everyPublicPageAVisitorReachesIsValid() {
		WebSession visitor = new WebSession(port);

		Map<String, HttpResponse<String>> pages = crawl(visitor, "/.*", List.of("/", "/resume", "/contact", "/login"));

		assertThat(pages.keySet()).contains("/", "/projects", "/projects/ledger", "/articles", "/articles?page=2",
				"/articles/dated-to-the-microsecond", "/tags", "/tags/validity", "/resume", "/contact", "/login");
		assertValid(pages);
	}

	@Test
	void everyAdminAndMonitorPageTheOwnerReachesIsValid() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);

		Map<String, HttpResponse<String>> pages = crawl(owner, "/(admin|monitor)\\b.*", List.of("/admin", "/monitor"));

		assertThat(pages.keySet()).contains("/admin", "/admin/articles", "/admin/articles/new", "/admin/projects",
				"/admin/profile", "/admin/media", "/admin/messages", "/monitor", "/monitor/jobs", "/monitor/workers",
				"/monitor/schedules");
		assertThat(pages.keySet()).as("an entry, a message and a job have pages of their own")
			.anyMatch((path) -> path.matches("/admin/articles/\\d+"))
			.anyMatch((path) -> path.matches("/admin/messages/\\d+"))
			.anyMatch((path) -> path.matches("/monitor/jobs/site.contact-mail/\\d+"));
		assertValid(pages);
	}

	@Test
	void pagesShownByFormsErrorsAndSignInAreValid() {
		WebSession visitor = new WebSession(port);
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, HttpResponse<String>> pages = new LinkedHashMap<>(formPages);

		pages.put("missing page", visitor.get("/no-such-page", BROWSER_ACCEPT));
		pages.put("missing article", visitor.get("/articles/no-such-article", BROWSER_ACCEPT));
		pages.put("wrong password", visitor.get("/login?error"));
		pages.put("signed out", visitor.get("/login?logout"));
		visitor.get("/contact");
		pages.put("contact form with errors",
				visitor.post("/contact", Map.of("name", "", "email", "not an address", "message", "")));
		pages.put("contact sent", visitor.get("/contact?sent"));
		owner.get("/admin/articles/new");
		pages.put("entry with errors", owner.post("/admin/articles/new",
				Map.of("title", "", "slug", "Bad Slug!", "tags", "Not A Tag!", "publishedAt", "next tuesday")));
		owner.get("/admin/profile");
		pages.put("profile with errors", owner.post("/admin/profile", Map.of("name", "", "email", "nope")));
		// forms that do not say which version they showed, as if saved over since
		Entry article = app.bean(ContentEditor.class)
			.entry(EntryKind.ARTICLE, "dated-to-the-microsecond")
			.orElseThrow();
		String editPath = "/admin/articles/" + article.id();
		Map<String, String> entryForm = Forms.fields(owner.get(editPath).body(), editPath);
		entryForm.remove("version");
		pages.put("entry saved elsewhere", owner.post(editPath, entryForm));
		Map<String, String> profileForm = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		profileForm.remove("version");
		pages.put("profile saved elsewhere", owner.post("/admin/profile", profileForm));
		pages.put("monitor with a bad filter", owner.get("/monitor/jobs?from=yesterday"));
		pages.put("missing job", owner.get("/monitor/jobs/site.contact-mail/999999", BROWSER_ACCEPT));
		WebSession signedOut = new WebSession(port).signIn(EMAIL, PASSWORD);
		signedOut.get("/admin/articles/new");
		signedOut.post("/logout", Map.of());
		pages.put("entry sent after signing out",
				signedOut.post("/admin/articles/new", Map.of("title", "Kept", "body", "Line one\n\nLine two")));

		assertThat(pages.get("missing page").statusCode()).isEqualTo(404);
		assertThat(pages.get("contact form with errors").statusCode()).isEqualTo(422);
		assertThat(pages.get("entry with errors").statusCode()).isEqualTo(422);
		assertThat(pages.get("entry sent after signing out").statusCode()).isEqualTo(403);
		assertThat(pages.get("entry saved elsewhere").statusCode()).isEqualTo(409);
		assertThat(pages.get("profile saved elsewhere").statusCode()).isEqualTo(409);
		assertValid(pages);
	}

	@Test
	void timesCarryNoMoreThanMillisecondsInPagesAndFeeds() {
		WebSession visitor = new WebSession(port);
		Pattern tooFine = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{4,}");

		for (String path : List.of("/articles", "/articles/dated-to-the-microsecond", "/feed.xml", "/sitemap.xml")) {
			String body = visitor.get(path).body();
			assertThat(body).as(path).contains("T").doesNotContainPattern(tooFine);
		}
		assertThat(visitor.get("/articles/dated-to-the-microsecond").body())
			.containsPattern("<time datetime=\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\">");
	}

	private static void createTheOwnerThroughTheSetupLink(CapturedOutput output) {
		Matcher link = SETUP_LINK.matcher(output.getAll());
		assertThat(link.find()).as("the log offers a setup link").isTrue();
		String token = link.group(1);
		WebSession stranger = new WebSession(port);
		formPages.put("setup", stranger.get("/admin/setup?token=" + token));
		formPages.put("setup with a problem", stranger.post("/admin/setup",
				Map.of("token", token, "email", EMAIL, "password", "short", "confirm", "short")));
		HttpResponse<String> created = stranger.post("/admin/setup",
				Map.of("token", token, "email", EMAIL, "password", PASSWORD, "confirm", PASSWORD));
		assertThat(created.statusCode()).isEqualTo(302);
	}

	/**
	 * Beside the demo portfolio: an image uploaded through the admin, a profile with
	 * links, an article dated to the microsecond that shows the image, a tagged project,
	 * a contact message; then the résumé PDF and the image's thumbnail.
	 */
	private static void createContent() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		assertThat(owner.upload("/admin/media", "file", "diagram.png", "image/png", png()).statusCode()).isEqualTo(302);
		Media image = app.bean(MediaLibrary.class).list().getFirst();
		Map<String, String> profile = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		profile.putAll(Map.of("name", "Ada Example", "headline", "Systems & people", "location", "Berlin", "email",
				"ada@example.com", "links", "Code https://example.com/ada\nMastodon https://example.social/@ada",
				"bioMarkdown", "I build *quiet* systems.", "resumeMarkdown",
				"## Experience\n\n| Years | Role |\n| --- | --- |\n| 2020–2026 | Engineer |\n\n"
						+ "## Skills\n\n- PostgreSQL\n- Java"));
		assertThat(owner.post("/admin/profile", profile).statusCode()).isEqualTo(302);

		ContentEditor editor = app.bean(ContentEditor.class);
		// Instant.now() has microseconds here: the precision PostgreSQL keeps
		Instant published = Instant.now().minus(1, ChronoUnit.DAYS);
		editor.create(EntryKind.ARTICLE,
				anEntry("Dated to the microsecond").summary("Times as pages print them")
					.body("## Main\n\nA heading named as the page's own main.\n\n## A figure\n\n![A diagram]("
							+ image.path() + ")\n\n```java\nvar x = 1;\n```\n\n"
							+ "> quoted\n\n1. one\n2. two\n\n<b>raw</b> & [a link](https://example.com)")
					.tags("validity", "html")
					.publishedAt(published)
					.build());
		editor.create(EntryKind.PROJECT,
				anEntry("Validator").summary("Checks pages")
					.body("Body with `code`.")
					.tags("validity")
					.link("https://example.com/validator")
					.featured(true)
					.build());

		WebSession visitor = new WebSession(port);
		visitor.get("/contact");
		assertThat(visitor
			.post("/contact", Map.of("name", "Grace", "email", "grace@example.com", "message", "Hello there"))
			.statusCode()).isEqualTo(302);

		await().atMost(Duration.ofSeconds(90))
			.until(() -> visitor.getBytes("/resume.pdf").statusCode() == 200
					&& app.bean(MediaLibrary.class).find(image.id()).orElseThrow().hasThumbnail());
	}

	/**
	 * The HTML pages reached from the start pages by following same-site links whose path
	 * matches {@code within} (at most {@link #MAX_PAGES}), by path and query.
	 */
	private static Map<String, HttpResponse<String>> crawl(WebSession session, String within, List<String> start) {
		Pattern scope = Pattern.compile(within);
		Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
		Set<String> seen = new LinkedHashSet<>(start);
		Deque<String> queue = new ArrayDeque<>(start);
		while (!queue.isEmpty() && pages.size() < MAX_PAGES) {
			String path = queue.removeFirst();
			HttpResponse<String> response = session.get(path, BROWSER_ACCEPT);
			if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
				continue;
			}
			pages.put(path, response);
			for (Element anchor : Jsoup.parse(response.body()).select("a[href]")) {
				String link = sameSitePath(anchor.attr("href"));
				if (link != null && scope.matcher(link).matches() && !NOT_A_PAGE.matcher(link).matches()
						&& seen.add(link)) {
					queue.addLast(link);
				}
			}
		}
		return pages;
	}

	/** The path and query of a link to this site, else {@code null}. */
	private static String sameSitePath(String href) {
		URI uri = URI.create("http://127.0.0.1:" + port + "/").resolve(href.replace(" ", "%20"));
		if (!"127.0.0.1".equals(uri.getHost()) || uri.getPort() != port) {
			return null;
		}
		return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	private static void assertValid(Map<String, HttpResponse<String>> pages) {
		Map<String, List<String>> errors = new LinkedHashMap<>();
		pages.forEach((name, response) -> {
			List<String> found = checker.errors(name, response.body());
			if (!found.isEmpty()) {
				errors.put(name + " (" + response.statusCode() + ")", found);
			}
		});
		assertThat(errors).as("Nu HTML checker errors in %d pages", pages.size()).isEmpty();
	}

	private static byte[] png() {
		BufferedImage image = new BufferedImage(800, 450, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(0x0b57d0));
		graphics.fillRect(0, 0, 800, 450);
		graphics.dispose();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
