package dev.vitrine.admin;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryChange;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.ProfileChange;
import dev.vitrine.content.Profile;
import dev.vitrine.support.EntryChanges;
import dev.vitrine.support.Forms;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The owner edits content through the admin over real HTTP, and the site follows. */
class ContentAdminTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	private static int port;

	@BeforeAll
	static void start() {
		app = RunningApp.start("content_admin", "vitrine.roles=web", "vitrine.admin.email=" + EMAIL,
				"vitrine.admin.password=" + PASSWORD);
		port = app.port();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void theAdminNeedsTheOwnersLogin() {
		WebSession stranger = new WebSession(port);

		assertThat(stranger.get("/admin/articles").statusCode()).isEqualTo(302);
		assertThat(stranger.get("/admin/articles/new").headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
	}

	@Test
	void writeADraftPublishItUnpublishItDeleteIt() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		WebSession visitor = new WebSession(port);
		owner.get("/admin/articles/new");

		HttpResponse<String> created = owner.post("/admin/articles/new", article("Notes on caching", "",
				"How pages are cached", "## Why\n\nBecause **fast**.", "caching, http", false));

		assertThat(created.statusCode()).isEqualTo(302);
		String editPath = location(created);
		assertThat(editPath).matches("/admin/articles/\\d+");
		HttpResponse<String> editor = owner.get(editPath);
		assertThat(editor.body()).contains("Saved as a draft.")
			.contains("value=\"notes-on-caching\"")
			.contains("id=\"entry-state\">draft<");
		assertThat(visitor.get("/articles/notes-on-caching").statusCode()).isEqualTo(404);

		assertThat(owner.post(editPath + "/publish", Map.of()).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> visitor.get("/articles/notes-on-caching").statusCode() == 200);
		assertThat(visitor.get("/articles/notes-on-caching").body()).contains("<h2 id=\"section-why\">Why</h2>")
			.contains("<strong>fast</strong>");
		assertThat(visitor.get("/tags/caching").body()).contains("Notes on caching");

		owner.get(editPath);
		assertThat(owner.post(editPath + "/unpublish", Map.of()).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> visitor.get("/articles/notes-on-caching").statusCode() == 404);

		owner.get(editPath);
		assertThat(owner.post(editPath + "/delete", Map.of()).statusCode()).isEqualTo(302);
		assertThat(owner.get(editPath).statusCode()).isEqualTo(404);
	}

	@Test
	void anEntrysOldAddressesRedirectToItUntilAnotherEntryTakesOneOrItIsNoLongerPublic() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		WebSession visitor = new WebSession(port);
		owner.get("/admin/articles/new");
		String editPath = location(
				owner.post("/admin/articles/new", article("Moving house", "first-name", "", "Moved.", "", true)));
		for (String slug : List.of("second-name", "third-name")) {
			Map<String, String> form = Forms.fields(owner.get(editPath).body(), editPath);
			form.put("slug", slug);
			assertThat(owner.post(editPath, form).statusCode()).isEqualTo(302);
		}

		for (String old : List.of("/articles/first-name", "/articles/second-name")) {
			HttpResponse<String> moved = visitor.get(old);
			assertThat(moved.statusCode()).as(old).isEqualTo(301);
			assertThat(moved.headers().firstValue("Location")).as(old).hasValue("/articles/third-name");
			assertThat(moved.headers().firstValue("Cache-Control")).as(old).hasValue("no-cache");
		}
		assertThat(visitor.get("/articles/first-name?utm_source=feed").headers().firstValue("Location"))
			.as("its query kept")
			.hasValue("/articles/third-name?utm_source=feed");
		assertThat(rawResponseHead("/articles/first-name?ref=100%"))
			.as("a query a browser sends and no URI parser takes, kept as it came")
			.startsWith("HTTP/1.1 301")
			.contains("\r\nLocation: /articles/third-name?ref=100%\r\n");
		assertThat(visitor.get("/articles/third-name").statusCode()).isEqualTo(200);
		assertThat(visitor.get("/projects/first-name").statusCode()).as("another section's address").isEqualTo(404);
		// a link written by hand with capitals: slugs are lower-case
		for (String capitals : List.of("/articles/Third-Name", "/articles/FIRST-NAME?x=1")) {
			HttpResponse<String> moved = visitor.get(capitals);
			assertThat(moved.statusCode()).as(capitals).isEqualTo(301);
			assertThat(moved.headers().firstValue("Location")).as(capitals)
				.hasValue("/articles/third-name" + (capitals.contains("?") ? "?x=1" : ""));
		}
		assertThat(visitor.get("/articles/Nobodys-Name").statusCode()).isEqualTo(404);

		// a new entry takes an old address: it is that entry's page, and once that entry
		// is gone, nobody's
		owner.get("/admin/articles/new");
		String newcomer = location(
				owner.post("/admin/articles/new", article("Newcomer", "first-name", "", "Here now.", "", true)));
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/first-name").statusCode() == 200);
		assertThat(visitor.get("/articles/first-name").body()).contains("Newcomer");
		owner.get(newcomer);
		assertThat(owner.post(newcomer + "/delete", Map.of()).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/first-name").statusCode() == 404);

		// renamed back: its own address again, and the one it left redirects to it
		Map<String, String> back = Forms.fields(owner.get(editPath).body(), editPath);
		back.put("slug", "second-name");
		assertThat(owner.post(editPath, back).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/second-name").statusCode() == 200);
		assertThat(visitor.get("/articles/third-name").headers().firstValue("Location"))
			.hasValue("/articles/second-name");

		owner.get(editPath);
		assertThat(owner.post(editPath + "/unpublish", Map.of()).statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get("/articles/second-name").statusCode() == 404);
		assertThat(visitor.get("/articles/third-name").statusCode()).as("no redirect to a draft").isEqualTo(404);
		owner.get(editPath);
		assertThat(owner.post(editPath + "/delete", Map.of()).statusCode()).isEqualTo(302);
		assertThat(app.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM entry_moved WHERE slug IN ('second-name', 'third-name')")
			.query(Integer.class)
			.single()).as("gone with the entry").isZero();
	}

	@Test
	void anImageFromAnotherSiteIsSavedAndTheOwnerToldItWillNotShow() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");
		String badge = "![build](https://img.shields.io/badge/build-passing-green.svg)";

		HttpResponse<String> created = owner.post("/admin/articles/new",
				article("With a badge", "", "", "A project.\n\n" + badge, "", false));
		HttpResponse<String> plain = owner.post("/admin/articles/new",
				article("Without one", "", "", "Just text.", "", false));
		HttpResponse<String> preview = owner.post("/admin/preview", Map.of("markdown", badge));

		assertThat(created.statusCode()).isEqualTo(302);
		assertThat(owner.get(location(created)).body())
			.contains("Saved as a draft. Images from other sites are not shown here");
		assertThat(owner.get(location(plain)).body()).contains("Saved as a draft.")
			.doesNotContain("Images from other sites");
		assertThat(preview.body()).startsWith("<p class=\"notice\" role=\"status\">Images from other sites")
			.contains("<img src=\"https://img.shields.io/badge/build-passing-green.svg\"");
	}

	@Test
	void savingAnArticleAsTheEditorShowsItKeepsItsLinkFeaturedFlagAndPublishDate() {
		// as an import may write it: a link and the featured flag on an article, a date
		// with seconds
		Instant publishedAt = Instant.parse("2026-03-04T05:06:07.891Z");
		ContentEditor editor = app.bean(ContentEditor.class);
		Entry imported = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Imported with a link")
					.link("https://example.com/talk")
					.featured(true)
					.published(true)
					.publishedAt(publishedAt)
					.build());
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		String editPath = "/admin/articles/" + imported.id();

		// what a browser sends: the form's fields as shown, the title changed
		Document page = Jsoup.parse(owner.get(editPath).body());
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element field : page.select("form[action=" + editPath + "] :is(input, textarea)")) {
			boolean unchecked = field.attr("type").equals("checkbox") && !field.hasAttr("checked");
			if (!field.attr("name").isEmpty() && !unchecked) {
				fields.put(field.attr("name"), field.is("textarea") ? field.text() : field.val());
			}
		}
		fields.put("title", "Imported with a link, retitled");
		assertThat(owner.post(editPath, fields).statusCode()).isEqualTo(302);

		Entry saved = editor.entry(imported.id()).orElseThrow();
		assertThat(saved.title()).isEqualTo("Imported with a link, retitled");
		assertThat(saved.linkUrl()).isEqualTo("https://example.com/talk");
		assertThat(saved.featured()).isTrue();
		assertThat(saved.publishedAt()).isEqualTo(publishedAt);
		editor.delete(imported.id());
	}

	@Test
	void aSaveFromAStaleFormIsRefusedAndKeepsWhatWasTyped() {
		ContentEditor editor = app.bean(ContentEditor.class);
		Entry article = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Opened in two tabs").body("The old body").build());
		String editPath = "/admin/articles/" + article.id();
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> tabA = Forms.fields(owner.get(editPath).body(), editPath);
		Map<String, String> tabB = Forms.fields(owner.get(editPath).body(), editPath);

		tabA.put("body", "The new body");
		assertThat(owner.post(editPath, tabA).statusCode()).isEqualTo(302);
		tabB.put("title", "Opened in two tabs, title fixed");
		HttpResponse<String> stale = owner.post(editPath, tabB);

		assertThat(stale.statusCode()).isEqualTo(409);
		Document page = Jsoup.parse(stale.body());
		assertThat(page.select("#conflict").text()).contains("Nothing was saved")
			.contains("was saved elsewhere (another tab or device) since you opened it");
		assertThat(page.select("#current-version").attr("href")).isEqualTo(editPath);
		assertThat(page.select("#current-version").attr("target")).isEqualTo("_blank");
		assertThat(page.select("#title").val()).isEqualTo("Opened in two tabs, title fixed");
		Entry stored = editor.entry(article.id()).orElseThrow();
		assertThat(stored.title()).isEqualTo("Opened in two tabs");
		assertThat(stored.bodyMarkdown()).isEqualTo("The new body");

		// a form that does not say which version it showed cannot overwrite one either
		Map<String, String> unversioned = Forms.fields(stale.body(), editPath);
		unversioned.remove("version");
		assertThat(owner.post(editPath, unversioned).statusCode()).isEqualTo(409);

		// the form as it came back is over the stored version: saving it is a choice
		assertThat(owner.post(editPath, Forms.fields(stale.body(), editPath)).statusCode()).isEqualTo(302);
		assertThat(editor.entry(article.id()).orElseThrow().title()).isEqualTo("Opened in two tabs, title fixed");
		editor.delete(article.id());
	}

	@Test
	void aSaveOfAnEntryDeletedInAnotherTabKeepsWhatWasTypedToCreateItAgain() {
		ContentEditor editor = app.bean(ContentEditor.class);
		Entry article = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Deleted while edited").body("The old body").build());
		String editPath = "/admin/articles/" + article.id();
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> form = Forms.fields(owner.get(editPath).body(), editPath);
		editor.delete(article.id());
		form.put("body", "Typed before learning it was deleted");

		HttpResponse<String> refused = owner.post(editPath, form);

		assertThat(refused.statusCode()).isEqualTo(409);
		Document page = Jsoup.parse(refused.body());
		assertThat(page.select(".notice").text()).contains("was deleted since you opened it, so nothing was saved");
		assertThat(page.select("#bodyMarkdown").text()).isEqualTo("Typed before learning it was deleted");
		Map<String, String> again = Forms.fields(refused.body(), "/admin/articles/new");
		HttpResponse<String> created = owner.post("/admin/articles/new", again);
		assertThat(created.statusCode()).isEqualTo(302);
		Entry recreated = editor
			.entry(Long.parseLong(
					created.headers().firstValue("Location").orElseThrow().replaceAll("^.*/admin/articles/", "")))
			.orElseThrow();
		assertThat(recreated.bodyMarkdown()).isEqualTo("Typed before learning it was deleted");
		assertThat(recreated.slug()).isEqualTo(article.slug());
		editor.delete(recreated.id());
	}

	@Test
	void aProfileSaveFromAStaleFormIsRefusedAndKeepsWhatWasTyped() {
		ContentEditor editor = app.bean(ContentEditor.class);
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> tabA = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		Map<String, String> tabB = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		String bio = "Written in tab A at " + System.nanoTime();

		tabA.put("bioMarkdown", bio);
		assertThat(owner.post("/admin/profile", tabA).statusCode()).isEqualTo(302);
		tabB.put("headline", "Typed in tab B");
		HttpResponse<String> stale = owner.post("/admin/profile", tabB);

		assertThat(stale.statusCode()).isEqualTo(409);
		Document page = Jsoup.parse(stale.body());
		assertThat(page.select("#conflict").text()).contains("Nothing was saved")
			.contains("the profile was saved elsewhere (another tab or device) since you opened it");
		assertThat(page.select("#current-version").attr("href")).isEqualTo("/admin/profile");
		assertThat(page.select("#current-version").attr("target")).isEqualTo("_blank");
		assertThat(page.select("#headline").val()).isEqualTo("Typed in tab B");
		Profile stored = editor.profile().orElseThrow();
		assertThat(stored.bioMarkdown()).isEqualTo(bio);
		assertThat(stored.headline()).isNotEqualTo("Typed in tab B");

		Map<String, String> unversioned = Forms.fields(stale.body(), "/admin/profile");
		unversioned.remove("version");
		assertThat(owner.post("/admin/profile", unversioned).statusCode()).isEqualTo(409);

		assertThat(owner.post("/admin/profile", Forms.fields(stale.body(), "/admin/profile")).statusCode())
			.isEqualTo(302);
		assertThat(editor.profile().orElseThrow().headline()).isEqualTo("Typed in tab B");
	}

	@Test
	void aProfileSavedByTheReleaseBeforeVersionsMakesAnOpenFormStaleButAnImageSizeDoesNot() {
		JdbcClient jdbc = app.bean(JdbcClient.class);
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> open = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");

		// what a worker writes when it sizes an image: no edited field, the form stays
		// valid
		jdbc.sql("UPDATE profile SET bio_html = bio_html || '<!-- sized -->'").update();
		open.put("headline", "Saved after an image was sized");
		assertThat(owner.post("/admin/profile", open).statusCode()).isEqualTo(302);

		Map<String, String> stale = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		// the save statement of the release before V20, which knows no version
		jdbc.sql("""
				INSERT INTO profile (id, name, headline, location, email, links, bio_markdown, bio_html,
				                     resume_markdown, resume_html, demo, updated_at)
				SELECT 1, name, 'Saved by the older release', location, email, links, bio_markdown, bio_html,
				       resume_markdown, resume_html, false, now() FROM profile
				ON CONFLICT (id) DO UPDATE SET name = excluded.name, headline = excluded.headline,
				    location = excluded.location, email = excluded.email, links = excluded.links,
				    bio_markdown = excluded.bio_markdown, bio_html = excluded.bio_html,
				    resume_markdown = excluded.resume_markdown, resume_html = excluded.resume_html, demo = false,
				    updated_at = now()""").update();
		stale.put("location", "Typed in a form opened before that save");

		assertThat(owner.post("/admin/profile", stale).statusCode()).isEqualTo(409);
		Profile stored = app.bean(ContentEditor.class).profile().orElseThrow();
		assertThat(stored.headline()).isEqualTo("Saved by the older release");
		assertThat(stored.location()).isNotEqualTo("Typed in a form opened before that save");
	}

	@Test
	void clearingAScheduledEntrysDateDatesItNowAndKeepsTheDateOfOneAlreadyLive() {
		ContentEditor editor = app.bean(ContentEditor.class);
		Instant future = Instant.parse("2030-01-01T10:00:00Z");
		Instant past = Instant.parse("2020-05-06T07:08:09Z");
		Entry scheduled = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Due in 2030").publishedAt(future).build());
		Entry live = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Live since 2020").publishedAt(past).build());
		Entry draft = editor.create(EntryKind.ARTICLE,
				EntryChanges.anEntry("Draft meant for 2030").published(false).publishedAt(future).build());
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		WebSession visitor = new WebSession(port);
		assertThat(visitor.get(scheduled.path()).statusCode()).isEqualTo(404);

		Instant before = Instant.now();
		for (Entry entry : List.of(scheduled, live, draft)) {
			String editPath = "/admin/articles/" + entry.id();
			Map<String, String> form = Forms.fields(owner.get(editPath).body(), editPath);
			form.put("publishedAt", "");
			assertThat(owner.post(editPath, form).statusCode()).isEqualTo(302);
		}

		assertThat(editor.entry(scheduled.id()).orElseThrow().publishedAt()).isBetween(before, Instant.now());
		assertThat(owner.get("/admin/articles/" + scheduled.id()).body()).contains("Saved and published.");
		await().atMost(Duration.ofSeconds(5)).until(() -> visitor.get(scheduled.path()).statusCode() == 200);
		assertThat(editor.entry(live.id()).orElseThrow().publishedAt()).isEqualTo(past);
		assertThat(editor.entry(draft.id()).orElseThrow().publishedAt()).isNull();
		List.of(scheduled, live, draft).forEach((entry) -> editor.delete(entry.id()));
	}

	@Test
	void savingOrPublishingAnEntryDatedInTheFutureSaysWhenItGoesLive() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");
		Map<String, String> form = article("Scheduled for later", "", "", "Soon.", "", true);
		form.put("publishedAt", "2030-01-01T10:00");

		HttpResponse<String> created = owner.post("/admin/articles/new", form);

		assertThat(created.statusCode()).isEqualTo(302);
		String editPath = location(created);
		assertThat(owner.get(editPath).body()).contains("Saved. Scheduled for 2030-01-01 10:00:00 UTC.")
			.doesNotContain("Saved and published");
		assertThat(owner.post(editPath + "/unpublish", Map.of()).statusCode()).isEqualTo(302);
		owner.get(editPath);
		assertThat(owner.post(editPath + "/publish", Map.of()).statusCode()).isEqualTo(302);
		assertThat(owner.get(editPath).body()).contains("Scheduled for 2030-01-01 10:00:00 UTC.")
			.doesNotContain("Published.");
		owner.get(editPath);
		assertThat(owner.post(editPath + "/delete", Map.of()).statusCode()).isEqualTo(302);
	}

	/**
	 * A title in another script has letters, none of which a slug can use: the editor
	 * says what a slug is made of, not that the title has no letters; an empty title gets
	 * its own message alone.
	 */
	@Test
	void aTitleWithoutLettersASlugCanUseAsksForASlugSayingWhatItIsMadeOf() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");

		HttpResponse<String> japanese = owner.post("/admin/articles/new", article("日本語の記事", "", "", "本文", "", false));

		assertThat(japanese.statusCode()).isEqualTo(422);
		Document page = Jsoup.parse(japanese.body());
		assertThat(page.select("#errors li").eachText())
			.containsExactly("Give a slug: one is made of the letters a to z,"
					+ " digits and hyphens (like my-first-post), and the title has none of them to make it from.");
		assertThat(page.select("#title").attr("value")).isEqualTo("日本語の記事");
		HttpResponse<String> saved = owner.post("/admin/articles/new",
				article("日本語の記事", "nihongo-no-kiji", "", "本文", "", false));
		assertThat(saved.statusCode()).isEqualTo(302);

		HttpResponse<String> untitled = owner.post("/admin/articles/new", article("", "", "", "text", "", false));

		assertThat(Jsoup.parse(untitled.body()).select("#errors li").eachText())
			.containsExactly("Give a title of 1 to 200 characters.");
	}

	@Test
	void invalidEntriesComeBackWithMessagesAndNothingIsSaved() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");

		HttpResponse<String> response = owner.post("/admin/articles/new",
				article("", "Bad Slug!", "kept summary", "kept body", "ok, Not A Tag!", false));

		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("Nothing was saved")
			.contains("Give a title of 1 to 200 characters.")
			.contains("Use lower-case letters, digits and single hyphens")
			.contains("Tags are lower-case words")
			.contains("value=\"kept summary\"")
			.contains(">kept body</textarea>");

		HttpResponse<String> taken = owner.post("/admin/articles/new",
				article("Another", "postgres-is-a-fine-queue", "", "", "", false));
		assertThat(taken.statusCode()).isEqualTo(422);
		assertThat(taken.body()).contains("Another article already uses the slug postgres-is-a-fine-queue.");

		Map<String, String> badDate = article("Dated", "", "", "", "", true);
		badDate.put("publishedAt", "next tuesday");
		HttpResponse<String> date = owner.post("/admin/articles/new", badDate);
		assertThat(date.statusCode()).isEqualTo(422);
		assertThat(date.body()).contains("Give the date as YYYY-MM-DDTHH:MM (UTC)");

		HttpResponse<String> badProfile = owner.post("/admin/profile",
				Map.of("name", "", "email", "nope", "resumeMarkdown", "kept résumé"));
		assertThat(badProfile.statusCode()).isEqualTo(422);
		assertThat(badProfile.body()).contains("Give a name")
			.contains("Give an e-mail address")
			.contains("kept résumé");
	}

	@Test
	void whatTheDatabaseCannotStoreOrTheRendererCannotShowComesBackWithAMessageNotAServerError() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");

		HttpResponse<String> nul = owner.post("/admin/articles/new", article("a\u0000b", "", "", "", "", false));
		Map<String, String> farFuture = article("Far future", "", "", "", "", true);
		farFuture.put("publishedAt", "+300000-01-01T00:00");
		HttpResponse<String> date = owner.post("/admin/articles/new", farFuture);
		// the renderer recurses once per level
		HttpResponse<String> deep = owner.post("/admin/articles/new",
				article("Deep", "", "", ">".repeat(100_000), "", false));
		HttpResponse<String> preview = owner.post("/admin/preview", Map.of("markdown", ">".repeat(100_000)));
		HttpResponse<String> profile = owner.post("/admin/profile",
				Map.of("name", "Ada\u0000", "email", "ada\u0000@example.com", "resumeMarkdown", "kept résumé"));

		assertThat(nul.statusCode()).isEqualTo(422);
		assertThat(nul.body()).contains("Nothing was saved").contains("Remove the NUL characters (U+0000)");
		assertThat(date.statusCode()).isEqualTo(422);
		assertThat(date.body()).contains("Give a date between the years 1 and 9999.");
		assertThat(deep.statusCode()).isEqualTo(422);
		assertThat(deep.body()).contains("nests block quotes, lists or emphasis more than 100 levels deep");
		assertThat(preview.statusCode()).isEqualTo(422);
		assertThat(preview.body()).contains("nests block quotes, lists or emphasis more than 100 levels deep");
		assertThat(profile.statusCode()).isEqualTo(422);
		assertThat(profile.body()).contains("Remove the NUL characters (U+0000)").contains("kept résumé");
		assertThat(owner.get("/admin/articles").body()).doesNotContain("Far future").doesNotContain(">Deep<");
	}

	@Test
	void editorFieldsAllowWhatSavingAcceptsAndShowEachErrorBesideItsField() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Document article = Jsoup.parse(owner.get("/admin/articles/new").body());
		Document profile = Jsoup.parse(owner.get("/admin/profile").body());

		assertThat(maxlength(article, "title")).isEqualTo(EntryChange.MAX_TITLE);
		assertThat(maxlength(article, "slug")).isEqualTo(EntryChange.MAX_SLUG);
		assertThat(maxlength(article, "summary")).isEqualTo(EntryChange.MAX_SUMMARY);
		assertThat(maxlength(article, "bodyMarkdown")).isEqualTo(EntryChange.MAX_MARKDOWN);
		assertThat(maxlength(profile, "name")).isEqualTo(ProfileChange.MAX_NAME);
		assertThat(maxlength(profile, "links")).isEqualTo(ProfileChange.MAX_LINKS);
		assertThat(maxlength(profile, "resumeMarkdown")).isEqualTo(ProfileChange.MAX_MARKDOWN);

		HttpResponse<String> tooLong = owner.post("/admin/articles/new",
				article("t".repeat(EntryChange.MAX_TITLE + 1), "limits-check", "", "", "", false));
		assertThat(tooLong.statusCode()).isEqualTo(422);
		Document errors = Jsoup.parse(tooLong.body());
		assertThat(errors.select("#title-error").text())
			.isEqualTo("Give a title of 1 to " + EntryChange.MAX_TITLE + " characters.");
		assertThat(errors.select("#title").attr("aria-describedby")).isEqualTo("title-error");
		assertThat(errors.select("#title").attr("aria-invalid")).isEqualTo("true");
		assertThat(errors.select("#slug").attr("aria-describedby")).isEqualTo("slug-status");

		HttpResponse<String> longest = owner.post("/admin/articles/new",
				article("t".repeat(EntryChange.MAX_TITLE), "limits-check", "", "", "", false));
		assertThat(longest.statusCode()).isEqualTo(302);
		String editPath = location(longest);
		owner.get(editPath);
		assertThat(owner.post(editPath + "/delete", Map.of()).statusCode()).isEqualTo(302);
	}

	private static int maxlength(Document page, String id) {
		return Integer.parseInt(page.select("#" + id).attr("maxlength"));
	}

	@Test
	void theProfileEditsTheHomePageAndTheResume() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> form = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		form.putAll(Map.of("name", "Grace Hopper", "headline", "Compilers and clarity", "location", "Arlington",
				"email", "grace@example.com", "links", "Code https://example.com/grace", "bioMarkdown",
				"I *like* ships.", "resumeMarkdown", "## Navy\n\nRear admiral."));

		HttpResponse<String> saved = owner.post("/admin/profile", form);

		assertThat(saved.statusCode()).isEqualTo(302);
		WebSession visitor = new WebSession(port);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(visitor.get("/").body()).contains("Grace Hopper")
				.contains("<em>like</em>")
				.contains("href=\"https://example.com/grace\""));
		assertThat(visitor.get("/resume").body()).contains("<h2 id=\"section-navy\">Navy</h2>")
			.contains("mailto:grace@example.com");
	}

	@Test
	void profileLinkLinesThatAreNotLinksAreRefusedAndNamedWithTheTextKept() {
		ContentEditor editor = app.bean(ContentEditor.class);
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		Map<String, String> form = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		String before = editor.profile().orElseThrow().links();
		String typed = "https://github.com/ada\nMastodon mastodon.social/@ada\n\nGitHub https://github.com/ada";
		form.put("links", typed);

		HttpResponse<String> refused = owner.post("/admin/profile", form);

		assertThat(refused.statusCode()).isEqualTo(422);
		Document page = Jsoup.parse(refused.body());
		assertThat(page.select("#links-error").text()).isEqualTo("These lines are not links: line 1"
				+ " “https://github.com/ada”, line 2 “Mastodon mastodon.social/@ada”. Give one per line: a label,"
				+ " a space, and an address starting with https://, http:// or mailto:, like GitHub"
				+ " https://github.com/you");
		assertThat(page.select("#links").first().wholeText()).isEqualTo(typed);
		assertThat(editor.profile().orElseThrow().links()).isEqualTo(before);

		form.put("links", "Mastodon https://mastodon.social/@ada\nGitHub https://github.com/ada");
		assertThat(owner.post("/admin/profile", form).statusCode()).isEqualTo(302);
		WebSession visitor = new WebSession(port);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(visitor.get("/").body()).contains("href=\"https://mastodon.social/@ada\"")
				.contains("href=\"https://github.com/ada\""));
	}

	@Test
	void thePreviewRendersAndSanitizesLikeSaving() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");

		HttpResponse<String> preview = owner.post("/admin/preview",
				Map.of("markdown", "# Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"));

		assertThat(preview.statusCode()).isEqualTo(200);
		assertThat(preview.body()).contains("<h1 id=\"section-hi\">Hi</h1>")
			.doesNotContain("script")
			.doesNotContain("javascript");
		assertThat(owner.get("/admin/slug?section=articles&slug=one-dockerfile").body())
			.contains("\"available\":false");
		assertThat(owner.get("/admin/slug?section=articles&slug=a-fresh-one").body()).contains("\"available\":true");
		assertThat(owner.get("/admin/slug?section=nope&slug=x").statusCode()).isEqualTo(400);
	}

	/**
	 * Without {@code VITRINE_MAIL_HOST} (this app's settings) contact messages are only
	 * stored: the inbox says so and names the setting, rather than a "Mailed: no" that
	 * reads the same as a mail still on its way.
	 */
	@Test
	void theInboxSaysMessagesAreNotMailedWithoutAnSmtpServerAndNamesTheSetting() {
		WebSession visitor = new WebSession(port);
		visitor.get("/contact");
		Map<String, String> message = new LinkedHashMap<>();
		message.put("name", "Grace");
		message.put("email", "grace@example.com");
		message.put("subject", "Mail is off");
		message.put("message", "Will the owner know this was not mailed?");
		message.put("website", "");
		assertThat(visitor.post("/contact", message).statusCode()).isEqualTo(302);
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);

		Document inbox = Jsoup.parse(owner.get("/admin/messages").body());

		assertThat(inbox.select("#mail-off").text()).contains("Messages are not mailed to you")
			.contains("VITRINE_MAIL_HOST")
			.contains("only kept here");
		String path = inbox.select("a:contains(Mail is off)").attr("href");
		Document shown = Jsoup.parse(owner.get(path).body());
		assertThat(shown.select("#mailed").text())
			.isEqualTo("no: mail is off (VITRINE_MAIL_HOST is not set), so messages that come now are only kept here");
	}

	/**
	 * The status line and headers of a GET of this target as written, which Java's
	 * {@code HttpClient} would refuse to send.
	 */
	private static String rawResponseHead(String target) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			return response.substring(0, response.indexOf("\r\n\r\n") + 2);
		}
	}

	/** Where a response sends the browser: its {@code Location}, as a path. */
	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow().replaceAll("^https?://[^/]+", "");
	}

	private static Map<String, String> article(String title, String slug, String summary, String body, String tags,
			boolean published) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("title", title);
		form.put("slug", slug);
		form.put("summary", summary);
		form.put("body", body);
		form.put("tags", tags);
		if (published) {
			form.put("published", "true");
		}
		return form;
	}

}
