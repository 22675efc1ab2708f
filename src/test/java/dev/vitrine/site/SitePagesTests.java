package dev.vitrine.site;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.vitrine.support.EntryChanges.anEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public site through real HTTP on a fresh database: the seeded demo portfolio, what
 * drafts and future posts hide, caching and its invalidation, feeds and error pages.
 */
class SitePagesTests {

	private static RunningApp app;

	private static ContentEditor editor;

	private static int port;

	private static WebSession visitor;

	@BeforeAll
	static void start() {
		app = RunningApp.start("site_pages", "vitrine.roles=web", "vitrine.site.page-size=2");
		port = app.port();
		editor = app.bean(ContentEditor.class);
		visitor = new WebSession(port);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	/** Parsed by a real XML parser: anything not well-formed fails here. */
	private static org.w3c.dom.Document xml(String body) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		return factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
	}

	/** The feed's entries whose id ends with the slug. */
	private static List<org.w3c.dom.Element> entries(org.w3c.dom.Document feed, String slug) {
		NodeList entries = feed.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry");
		return IntStream.range(0, entries.getLength())
			.mapToObj((i) -> (org.w3c.dom.Element) entries.item(i))
			.filter((entry) -> child(entry, "id").endsWith("/" + slug))
			.toList();
	}

	private static String child(org.w3c.dom.Element element, String name) {
		return element.getElementsByTagNameNS("http://www.w3.org/2005/Atom", name).item(0).getTextContent();
	}

	@Test
	void aNewSiteShowsTheDemoPortfolioMarkedAsDemo() {
		HttpResponse<String> home = visitor.get("/");

		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("<h1 id=\"intro-name\">Ada Example</h1>")
			.contains("This site shows demo content")
			.contains("Featured projects")
			.contains("href=\"/articles/postgres-is-a-fine-queue\"")
			.contains("<main id=\"main\"")
			.contains("<nav aria-label=\"Site\">");
		for (String path : List.of("/projects", "/projects/ledger", "/articles", "/articles/one-dockerfile", "/tags",
				"/tags/postgresql", "/resume", "/contact")) {
			assertThat(visitor.get(path).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(visitor.get("/resume").body()).contains("<h2 id=\"section-experience\">Experience</h2>")
			.contains("<table>");
	}

	@Test
	void pagesLinkTheIconAndFaviconIcoAnswersForClientsThatGuess() {
		Document home = Jsoup.parse(visitor.get("/").body());
		String svg = home.selectFirst("link[rel=icon][type=image/svg+xml]").attr("href");
		String ico = home.selectFirst("link[rel=icon][sizes]").attr("href");

		HttpResponse<byte[]> linkedSvg = visitor.getBytes(svg);
		assertThat(linkedSvg.statusCode()).isEqualTo(200);
		assertThat(linkedSvg.headers().firstValue("Content-Type")).hasValue("image/svg+xml;charset=UTF-8");
		assertThat(new String(linkedSvg.body(), StandardCharsets.UTF_8)).startsWith("<svg ");
		HttpResponse<byte[]> favicon = visitor.getBytes("/favicon.ico");
		assertThat(favicon.statusCode()).isEqualTo(200);
		assertThat(favicon.headers().firstValue("Content-Type")).hasValue("image/x-icon");
		assertThat(favicon.headers().firstValue("Cache-Control")).hasValue("max-age=604800, public");
		// an ICO file: reserved 0, type 1 (icon)
		assertThat(Arrays.copyOf(favicon.body(), 4)).containsExactly(0, 0, 1, 0);
		assertThat(visitor.getBytes(ico).body()).isEqualTo(favicon.body());
		String etag = favicon.headers().firstValue("ETag").orElseThrow();
		assertThat(visitor.get("/favicon.ico", "If-None-Match", etag).statusCode()).isEqualTo(304);
		for (String page : List.of("/login", "/no-such-page")) {
			assertThat(visitor.get(page, "Accept", "text/html").body()).as(page).contains("href=\"" + svg + "\"");
		}
	}

	@Test
	void aPagesAddressWithATrailingSlashLeadsToThePage() {
		for (String[] moved : new String[][] { { "/articles/", "/articles" },
				{ "/articles/postgres-is-a-fine-queue/", "/articles/postgres-is-a-fine-queue" },
				{ "/articles/?page=2", "/articles?page=2" }, { "/tags/", "/tags" }, { "/resume/", "/resume" },
				{ "/projects/", "/projects" } }) {
			HttpResponse<String> response = visitor.get(moved[0]);

			assertThat(response.statusCode()).as(moved[0]).isEqualTo(308);
			assertThat(response.headers().firstValue("Location")).as(moved[0])
				.hasValueSatisfying(
						(location) -> assertThat(location.replaceAll("^https?://[^/]+", "")).isEqualTo(moved[1]));
		}
		assertThat(visitor.get("/health/").statusCode()).as("the probes' address, as it is").isEqualTo(200);
		assertThat(visitor.get("/").statusCode()).isEqualTo(200);
	}

	@Test
	void theNavigationMarksTheSectionOfThePageAndNoOther() {
		Map<String, String> expected = Map.of("/", "", "/projects", "Projects", "/articles/postgres-is-a-fine-queue",
				"Articles", "/tags", "", "/resume", "Résumé", "/contact", "Contact");
		expected.forEach((path,
				current) -> assertThat(
						Jsoup.parse(visitor.get(path).body()).select("nav a[aria-current=page]").eachText())
					.as(path)
					.isEqualTo(current.isEmpty() ? List.of() : List.of(current)));
		assertThat(visitor.get("/").body()).contains("<meta property=\"og:type\" content=\"profile\">");
		assertThat(visitor.get("/projects").body()).contains("<meta property=\"og:type\" content=\"website\">");
	}

	@Test
	void anArticlePageCarriesCanonicalOpenGraphAndJsonLd() {
		String page = visitor.get("/articles/postgres-is-a-fine-queue").body();

		String url = "http://127.0.0.1:" + port + "/articles/postgres-is-a-fine-queue";
		assertThat(page).contains("<link rel=\"canonical\" href=\"" + url + "\">")
			.contains("<meta property=\"og:type\" content=\"article\">")
			.contains("<meta property=\"og:url\" content=\"" + url + "\">")
			.containsPattern("<meta property=\"og:image\" content=\"http://127.0.0.1:" + port
					+ "/assets/images/card\\.[0-9a-f]{10}\\.png\">")
			.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">")
			.contains("\"@type\":\"BlogPosting\"")
			.contains("\"headline\":\"PostgreSQL is a fine queue\"")
			.contains("<code class=\"language-sql\">");
	}

	@Test
	void draftsAndFuturePostsStayHiddenUntilPublishedAndDue() {
		Entry draft = editor.create(EntryKind.ARTICLE,
				anEntry("Secret draft").body("Not yet").tags("drafts").published(false).build());
		Entry scheduled = editor.create(EntryKind.ARTICLE,
				anEntry("From the future").body("Soon").publishedAt(Instant.now().plusSeconds(3)).build());

		assertThat(visitor.get("/articles/secret-draft").statusCode()).isEqualTo(404);
		assertThat(visitor.get("/tags/drafts").statusCode()).isEqualTo(404);
		assertThat(visitor.get("/articles/from-the-future").statusCode()).isEqualTo(404);
		assertThat(visitor.get("/feed.xml").body()).doesNotContain("Secret draft").doesNotContain("From the future");
		assertThat(visitor.get("/sitemap.xml").body()).doesNotContain("secret-draft");

		// the scheduled one appears when its time comes, though nothing was saved
		await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/articles/from-the-future").statusCode() == 200);
		String feed = visitor.get("/feed.xml").body();
		assertThat(feed).contains("From the future");
		// saved before it went live: readers see it change when it appears, not before
		String entry = feed.substring(feed.indexOf("<title>From the future</title>"));
		String published = entry.replaceAll("(?s).*?<published>([^<]*)</published>.*", "$1");
		String updated = entry.replaceAll("(?s).*?<updated>([^<]*)</updated>.*", "$1");
		assertThat(Instant.parse(updated)).as("its <updated>").isAfterOrEqualTo(Instant.parse(published));
		assertThat(visitor.get("/sitemap.xml").body())
			.contains("/articles/from-the-future</loc><lastmod>" + published + "</lastmod>");
		assertThat(visitor.get("/articles/from-the-future").body()).as("its JSON-LD")
			.contains("\"datePublished\":\"" + published + "\",\"dateModified\":\"" + published + "\"");

		editor.publish(draft.id());
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/secret-draft").statusCode() == 200);
		editor.unpublish(draft.id());
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/secret-draft").statusCode() == 404);
		editor.delete(scheduled.id());
		editor.delete(draft.id());
	}

	@Test
	void pagesRevalidateWithETagsAndChangeWhenContentChanges() {
		// dated once the last change has settled (another test's, maybe)
		HttpResponse<String> first = await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/projects"), (page) -> page.headers().firstValue("Last-Modified").isPresent());
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");

		assertThat(visitor.get("/projects", "If-None-Match", etag).statusCode()).isEqualTo(304);
		// the same answers from the cached-page fast path, with the same headers
		HttpResponse<String> cached = visitor.get("/projects");
		assertThat(cached.headers().firstValue("ETag")).hasValue(etag);
		assertThat(cached.headers().firstValue("Content-Security-Policy"))
			.isEqualTo(first.headers().firstValue("Content-Security-Policy"));
		assertThat(cached.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
		assertThat(cached.body()).isEqualTo(first.body());

		Entry project = editor.create(EntryKind.PROJECT,
				anEntry("Brand new tool").summary("A new one").tags("tools").link("https://example.com/tool").build());
		// the change reaches this replica's cache through PostgreSQL NOTIFY
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			HttpResponse<String> after = visitor.get("/projects", "If-None-Match", etag);
			assertThat(after.statusCode()).isEqualTo(200);
			assertThat(after.body()).contains("Brand new tool");
		});
		editor.delete(project.id());
	}

	@Test
	void lastModifiedNeverGoesBackWhenTheNewestEntryIsTakenBack() throws InterruptedException {
		Entry newest = editor.create(EntryKind.ARTICLE, anEntry("Newest for a moment").slug("newest-moment").build());
		HttpResponse<String> shown = await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/articles"), (page) -> page.body().contains("Newest for a moment")
					&& page.headers().firstValue("Last-Modified").isPresent());
		String before = shown.headers().firstValue("Last-Modified").orElseThrow();

		editor.unpublish(newest.id());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !visitor.get("/articles").body().contains("Newest for a moment"));

		// a client that revalidates with the date alone must not keep the retracted list
		HttpResponse<String> after = visitor.get("/articles", "If-Modified-Since", before);
		assertThat(after.statusCode()).isEqualTo(200);
		HttpResponse<String> redated = await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/articles"), (page) -> page.headers().firstValue("Last-Modified").isPresent());
		assertThat(ZonedDateTime.parse(redated.headers().firstValue("Last-Modified").orElseThrow(),
				DateTimeFormatter.RFC_1123_DATE_TIME))
			.isAfter(ZonedDateTime.parse(before, DateTimeFormatter.RFC_1123_DATE_TIME));
		editor.delete(newest.id());
		// a statement that changes nothing (the nightly clean-up of
		// cards, mostly) is no change
		JdbcClient jdbc = app.bean(JdbcClient.class);
		int changes = jdbc.sql("SELECT count(*) FROM content_change").query(Integer.class).single();
		jdbc.sql("DELETE FROM rendered_file WHERE name = 'no/such/file'").update();
		assertThat(jdbc.sql("SELECT count(*) FROM content_change").query(Integer.class).single()).isEqualTo(changes);
	}

	@Test
	void anEditThatCommitsAfterAPageWasDatedMovesItsDateOn() throws Exception {
		TransactionTemplate transaction = app.bean(TransactionTemplate.class);
		CountDownLatch editing = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		// an edit whose transaction began before the page below is rendered and dated,
		// and commits after (it waited on a lock, say)
		Future<Entry> slow = Executors.newVirtualThreadPerTaskExecutor().submit(() -> transaction.execute((status) -> {
			Entry entry = editor.create(EntryKind.PROJECT, anEntry("Committed late").build());
			editing.countDown();
			try {
				commit.await();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			return entry;
		}));
		assertThat(editing.await(10, TimeUnit.SECONDS)).isTrue();
		Entry quick = editor.create(EntryKind.PROJECT, anEntry("Committed at once").build());
		HttpResponse<String> dated = await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/projects"), (page) -> page.body().contains("Committed at once")
					&& page.headers().firstValue("Last-Modified").isPresent());
		String date = dated.headers().firstValue("Last-Modified").orElseThrow();

		commit.countDown();
		Entry late = slow.get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> visitor.get("/projects").body().contains("Committed late"));

		// a client that revalidates with the date alone gets the page that now shows it
		HttpResponse<String> revalidated = visitor.get("/projects", "If-Modified-Since", date);
		assertThat(revalidated.statusCode()).isEqualTo(200);
		assertThat(revalidated.body()).contains("Committed late");
		editor.delete(late.id());
		editor.delete(quick.id());
	}

	@Test
	void aPageIsDatedOnlyOnceNoChangeCanStillShareItsDatesSecond() {
		Entry entry = editor.create(EntryKind.PROJECT, anEntry("Dated after a second").build());
		List<HttpResponse<String>> responses = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			HttpResponse<String> page = visitor.get("/projects");
			responses.add(page);
			return page.body().contains("Dated after a second")
					&& page.headers().firstValue("Last-Modified").isPresent();
		});

		// a page dated within its date's second, and served then,
		// would let a client holding that date miss a change later
		// in the same second
		assertThat(responses).allSatisfy((page) -> page.headers().firstValue("Last-Modified").ifPresent((modified) -> {
			ZonedDateTime served = ZonedDateTime.parse(page.headers().firstValue("Date").orElseThrow(),
					DateTimeFormatter.RFC_1123_DATE_TIME);
			assertThat(served).as("served at, for a page dated %s", modified)
				.isAfterOrEqualTo(ZonedDateTime.parse(modified, DateTimeFormatter.RFC_1123_DATE_TIME)
					.plusSeconds(1)
					.plus(PageCache.SETTLE));
		}));
		editor.delete(entry.id());
	}

	@Test
	void theCacheHearsOfChangesAgainAfterItsListeningConnectionIsKilled() {
		PageCache cache = app.bean(PageCache.class);
		JdbcClient jdbc = app.bean(JdbcClient.class);
		String key = "http://127.0.0.1:" + port + "/projects";
		List<Integer> killed = listeners(jdbc);
		assertThat(killed).hasSize(1);
		// one by one: in a WHERE clause it could run before the filter
		killed.forEach((pid) -> jdbc.sql("SELECT pg_terminate_backend(?)").param(pid).query(Boolean.class).single());

		await().atMost(Duration.ofSeconds(20)).until(() -> {
			List<Integer> listening = listeners(jdbc);
			return !listening.isEmpty() && !listening.containsAll(killed);
		});
		// caching again once it listens: the page is cached, and would go stale unheard
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			visitor.get("/projects");
			return cache.peek(key).isPresent();
		});
		Entry project = editor.create(EntryKind.PROJECT, anEntry("Heard after a reconnect").build());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(visitor.get("/projects").body()).contains("Heard after a reconnect"));
		editor.delete(project.id());
	}

	@Test
	void aChangeMadeWhileTheCacheCannotHearIsServedOnceItHearsAgain() {
		PageCache cache = app.bean(PageCache.class);
		JdbcClient jdbc = app.bean(JdbcClient.class);
		String key = "http://127.0.0.1:" + port + "/projects";
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			visitor.get("/projects");
			return cache.peek(key).isPresent();
		});
		List<Integer> killed = listeners(jdbc);
		killed.forEach((pid) -> jdbc.sql("SELECT pg_terminate_backend(?)").param(pid).query(Boolean.class).single());

		// its notification goes to no one: the listener is gone, the next not yet there
		Entry project = editor.create(EntryKind.PROJECT, anEntry("Made while unheard").build());
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			List<Integer> listening = listeners(jdbc);
			return !listening.isEmpty() && !listening.containsAll(killed);
		});

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(visitor.get("/projects").body()).contains("Made while unheard"));
		editor.delete(project.id());
	}

	@Test
	void aPageRenderedWhileContentChangesIsNotKeptInTheCache() {
		PageCache cache = app.bean(PageCache.class);
		String tags = "http://127.0.0.1:" + port + "/tags";
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			visitor.get("/tags");
			return cache.peek(tags).isPresent();
		});
		String key = "http://127.0.0.1:" + port + "/rendered-across-a-change";
		List<Entry> created = new ArrayList<>();

		Optional<PageCache.CachedPage> page = cache.get(key, "/test", "text/html", () -> {
			// read from the rows as they were; the owner's change commits meanwhile
			String before = "a page without the new project";
			created.add(editor.create(EntryKind.PROJECT, anEntry("Saved during a render").build()));
			await().atMost(Duration.ofSeconds(10)).until(() -> cache.peek(tags).isEmpty());
			return Optional.of(before);
		});

		assertThat(page).isPresent();
		assertThat(cache.peek(key)).as("the page rendered across the change, cached").isEmpty();
		created.forEach((entry) -> editor.delete(entry.id()));
	}

	@Test
	void anOddlyWrittenAddressGetsTheSameAnswerWhetherOrNotItsPageIsCached() {
		PageCache cache = app.bean(PageCache.class);
		List<String> odd = List.of("/articles;x=1", "//articles", "/./articles", "/tags/../articles", "/%61rticles",
				"/articles%2F", "/articles/%2e%2e/articles");
		cache.clear();
		List<Integer> uncached = odd.stream().map((path) -> Http.get(port, path).statusCode()).toList();

		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Http.get(port, "/articles");
			return cache.peek("http://127.0.0.1:" + port + "/articles").isPresent();
		});
		List<Integer> cached = odd.stream().map((path) -> Http.get(port, path).statusCode()).toList();

		assertThat(cached).as("%s with /articles cached", odd).isEqualTo(uncached);
		// refused by the firewall, but for an encoded letter, which means the page itself
		assertThat(uncached).containsExactly(400, 400, 400, 400, 200, 400, 400);
	}

	@Test
	void cachedPagesCountInRequestMetricsUnderTheirRoute() {
		visitor.get("/articles/one-dockerfile");
		for (int i = 0; i < 5; i++) {
			visitor.get("/articles/one-dockerfile");
		}

		String metrics = Http.get(app.managementPort(), "/actuator/prometheus").body();
		String series = metrics.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{")
					&& line.contains("uri=\"/articles/{slug}\"") && line.contains("status=\"200\""))
			.findFirst()
			.orElseThrow();
		assertThat(Double.parseDouble(series.substring(series.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(6);
		// finished requests all carry their route; in-flight ones are "active"
		assertThat(metrics.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{") && line.contains("UNKNOWN")))
			.isEmpty();
	}

	@Test
	void articleListsArePaginatedAndOutOfRangePagesAreErrors() {
		String first = visitor.get("/articles").body();
		assertThat(first).contains("Page 1 of 2").contains("rel=\"next\" href=\"/articles?page=2\"");
		assertThat(visitor.get("/articles?page=2").body()).contains("Page 2 of 2").contains("rel=\"prev\"");

		assertThat(visitor.get("/articles?page=3").statusCode()).isEqualTo(404);
		HttpResponse<String> bad = visitor.get("/articles?page=abc", "Accept", "text/html");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("page must be a whole number from 1 up");
	}

	@Test
	void feedSitemapAndRobotsDescribeThePublicSite() {
		HttpResponse<String> feed = visitor.get("/feed.xml");
		assertThat(feed.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/atom+xml"));
		// readers resolve the content's links, /media/... and /articles/..., against its
		// base
		assertThat(feed.body())
			.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://127.0.0.1:" + port + "/\">")
			.contains("<title>PostgreSQL is a fine queue</title>")
			.contains("<category term=\"postgresql\"/>");

		assertThat(visitor.get("/sitemap.xml").body())
			.contains("<loc>http://127.0.0.1:" + port + "/projects/ledger</loc>")
			.contains("/tags/benchmarks</loc>");
		assertThat(visitor.get("/robots.txt").body()).contains("Disallow: /admin")
			.contains("Sitemap: http://127.0.0.1:" + port + "/sitemap.xml");
	}

	@Test
	void theFeedsUpdatedNeverGoesBackWhenItsNewestArticleIsTakenBack() throws Exception {
		// dated seconds after anything else (the demo is seeded as the app starts)
		Entry newest = editor.create(EntryKind.ARTICLE,
				anEntry("Newest in the feed").slug("newest-in-feed").publishedAt(Instant.now().plusSeconds(2)).build());
		String before = await().atMost(Duration.ofSeconds(10))
			.until(() -> visitor.get("/feed.xml").body(), (feed) -> feed.contains("Newest in the feed"));

		Instant unpublishing = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		editor.unpublish(newest.id());
		String after = await().atMost(Duration.ofSeconds(5))
			.until(() -> visitor.get("/feed.xml").body(), (feed) -> !feed.contains("Newest in the feed"));

		// a reader that goes by the feed's date must see the retraction as news
		assertThat(feedUpdated(after)).isAfterOrEqualTo(feedUpdated(before)).isAfterOrEqualTo(unpublishing);
		editor.delete(newest.id());
	}

	private static Instant feedUpdated(String feed) throws Exception {
		org.w3c.dom.Element root = xml(feed).getDocumentElement();
		return Instant.parse(child(root, "updated"));
	}

	@Test
	void theFeedStaysWellFormedXmlWithControlCharactersInWhatTheOwnerWrote() throws Exception {
		// Word's soft line break (U+000B) pasted into a title; XML 1.0
		// allows no such character
		Entry article = editor.create(EntryKind.ARTICLE,
				anEntry("Pasted\u000Bfrom Word").slug("control-check").summary("\u0001Odd start").build());
		try {
			org.w3c.dom.Document feed = await().atMost(Duration.ofSeconds(5))
				.until(() -> xml(visitor.get("/feed.xml").body()), (doc) -> !entries(doc, "control-check").isEmpty());

			org.w3c.dom.Element entry = entries(feed, "control-check").getFirst();
			assertThat(child(entry, "title")).isEqualTo("Pasted\uFFFDfrom Word");
			assertThat(child(entry, "summary")).isEqualTo("\uFFFDOdd start");
		}
		finally {
			editor.delete(article.id());
		}
	}

	@Test
	void feedAndSitemapAreWellFormedXmlWhateverTheOwnerWrites() throws Exception {
		String title = "Less <than> & \"quoted\" 'too'";
		String summary = "A <b>summary</b> & \"more\"";
		Entry article = editor.create(EntryKind.ARTICLE,
				anEntry(title).slug("escaping-check")
					.summary(summary)
					.body("Some *emphasis* & <angle> brackets")
					.tags("escaping")
					.build());
		try {
			org.w3c.dom.Document feed = await().atMost(Duration.ofSeconds(5))
				.until(() -> xml(visitor.get("/feed.xml").body()), (doc) -> !entries(doc, "escaping-check").isEmpty());

			org.w3c.dom.Element entry = entries(feed, "escaping-check").getFirst();
			assertThat(feed.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
			assertThat(child(entry, "title")).isEqualTo(title);
			assertThat(child(entry, "summary")).isEqualTo(summary);
			assertThat(child(entry, "content")).contains("<em>emphasis</em>").contains("&amp;");

			org.w3c.dom.Document sitemap = xml(visitor.get("/sitemap.xml").body());
			NodeList locations = sitemap.getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc");
			assertThat(locations.getLength()).isPositive();
			assertThat(IntStream.range(0, locations.getLength()).mapToObj((i) -> locations.item(i).getTextContent()))
				.contains("http://127.0.0.1:" + port + "/articles/escaping-check");
		}
		finally {
			editor.delete(article.id());
		}
	}

	@Test
	void unknownPagesGetTheSitesNotFoundPage() {
		HttpResponse<String> missing = visitor.get("/articles/no-such-article", "Accept", "text/html");

		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).contains("This page does not exist").contains("<a href=\"/\">");
		// the site's own page says nothing a link's author wrote into the address
		HttpResponse<String> spoof = visitor.get("/tags/site-moved-to-evil-example-log-in-there", "Accept",
				"text/html");
		assertThat(spoof.statusCode()).isEqualTo(404);
		assertThat(spoof.body()).doesNotContain("evil-example");
	}

	@Test
	void aRequestErrorPageSaysWhatWasWrongButNoOtherExceptionsMessage() {
		HttpResponse<String> bad = visitor.get("/articles?page=x", "Accept", "text/html");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(bad.body()).select(".error-detail").text())
			.isEqualTo("page must be a whole number from 1 up");

		// Spring's own "No static resource ..." is for the log
		HttpResponse<String> missing = visitor.get("/no/such/file.txt", "Accept", "text/html");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(Jsoup.parse(missing.body()).select(".error-detail")).isEmpty();
		assertThat(missing.body()).doesNotContain("static resource");
	}

	@Test
	void aJsonErrorSaysWhatWasWrongButNoOtherExceptionsMessage() {
		for (String accept : List.of("*/*", "application/json")) {
			HttpResponse<String> unconvertible = visitor.get("/media/99999999999999999999/x", "Accept", accept);
			assertThat(unconvertible.statusCode()).isEqualTo(400);
			assertThat(unconvertible.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
			assertThat(Http.json(unconvertible).has("message")).as("Accept: %s", accept).isFalse();
			assertThat(unconvertible.body()).doesNotContain("convert").doesNotContain("parameter");

			HttpResponse<String> missing = visitor.get("/no/such/file.txt", "Accept", accept);
			assertThat(missing.statusCode()).isEqualTo(404);
			assertThat(Http.json(missing).has("message")).as("Accept: %s", accept).isFalse();

			HttpResponse<String> bad = visitor.get("/articles?page=x", "Accept", accept);
			assertThat(bad.statusCode()).isEqualTo(400);
			assertThat(Http.json(bad).path("message").asString()).isEqualTo("page must be a whole number from 1 up");

			// the reason of an exception class marked @ResponseStatus
			HttpResponse<String> unknownLink = visitor.get("/admin/setup?token=no-such-token", "Accept", accept);
			assertThat(unknownLink.statusCode()).isEqualTo(404);
			assertThat(Http.json(unknownLink).path("message").asString())
				.startsWith("This setup link is unknown, expired or already used");
		}
	}

	@Test
	void everyPageIsSemanticAndAccessible() {
		for (String path : List.of("/", "/projects", "/projects/ledger", "/articles", "/articles/one-dockerfile",
				"/tags", "/tags/postgresql", "/resume", "/contact")) {
			Document page = Jsoup.parse(visitor.get(path).body());

			assertThat(page.select("html").attr("lang")).as(path).isEqualTo("en");
			assertThat(page.select("h1")).as(path + ": one h1").hasSize(1);
			assertThat(page.select("body > header, nav[aria-label=Site], body > main#main, body > footer"))
				.as(path + ": landmarks")
				.hasSize(4);
			assertThat(page.select("a.skip[href=#main]")).as(path + ": skip link").hasSize(1);
			assertThat(page.select("meta[name=viewport]")).as(path).hasSize(1);
			assertThat(page.select("img:not([alt])")).as(path + ": images without alt").isEmpty();
			for (Element field : page.select("input:not([type=hidden]), textarea, select")) {
				assertThat(page.select("label[for=" + field.id() + "]")).as(path + ": label for " + field.id())
					.hasSize(1);
			}
			// the content security policy allows no inline script or style
			assertThat(page.select("script:not([src]):not([type=application/ld+json])")).as(path).isEmpty();
			assertThat(page.select("[style], style")).as(path).isEmpty();
			assertThat(page.select("[onclick], [onload], [onerror]")).as(path).isEmpty();
		}
	}

	@Test
	void pagesSendSecurityHeaders() {
		HttpResponse<String> home = visitor.get("/");

		assertThat(home.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				(csp) -> assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
		assertThat(home.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(home.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
	}

	@Test
	void assetsHaveHashedUrlsAndAreCachedForever() {
		String stylesheet = visitor.get("/")
			.body()
			.replaceAll("(?s).*<link rel=\"stylesheet\" href=\"([^\"]+)\">.*", "$1");
		assertThat(stylesheet).matches("/assets/css/site\\.[0-9a-f]{10}\\.css");

		HttpResponse<String> css = visitor.get(stylesheet);
		assertThat(css.statusCode()).isEqualTo(200);
		assertThat(css.headers().firstValue("Cache-Control")).hasValue("max-age=31536000, public, immutable");
		assertThat(css.headers().firstValue("Vary")).hasValue("Accept-Encoding");
		assertThat(css.body()).contains("prefers-color-scheme: dark");
		assertThat(visitor.get("/assets/css/site.0000000000.css").statusCode()).isEqualTo(404);

		// brotli and gzip copies are made at build time; a client gets one it takes
		HttpResponse<String> brotli = visitor.get(stylesheet, "Accept-Encoding", "gzip, deflate, br");
		assertThat(brotli.headers().firstValue("Content-Encoding")).hasValue("br");
		assertThat(brotli.headers().firstValueAsLong("Content-Length").orElseThrow())
			.isLessThan(css.body().length() / 2);
		HttpResponse<String> gzip = visitor.get(stylesheet, "Accept-Encoding", "gzip");
		assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(css.headers().firstValue("Content-Encoding")).isEmpty();
	}

	/** The pids of this database's listening connections. */
	private static List<Integer> listeners(JdbcClient jdbc) {
		return jdbc.sql("""
				SELECT pid FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = ?
				""").param(DatabaseNotifications.APPLICATION_NAME).query(Integer.class).list();
	}

}
