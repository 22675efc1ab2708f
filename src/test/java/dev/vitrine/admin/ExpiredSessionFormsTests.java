package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.support.EntryChanges;
import dev.vitrine.support.Forms;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An owner's form sent after the session ended (the idle timeout, or signed out in
 * another tab) is refused, as its token is gone with the session, but what was typed
 * comes back on the refusal's page instead of being lost with a bare 403.
 */
class ExpiredSessionFormsTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("expired_session_forms", "vitrine.roles=web", "vitrine.admin.email=" + EMAIL,
				"vitrine.admin.password=" + PASSWORD, "vitrine.content.demo=false");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void anArticleSentAfterTheSessionEndedComesBackWithEverythingTyped() {
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");
		endEverySession();
		Map<String, String> form = new LinkedHashMap<>();
		form.put("title", "Three hours of writing");
		form.put("body", "## Part one\n\nA <b>long</b> text & more.\n\nSecond paragraph.");
		form.put("tags", "writing");

		HttpResponse<String> refused = owner.post("/admin/articles/new", form);

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
		Document page = Jsoup.parse(refused.body());
		assertThat(page.title()).startsWith("Not saved: your session ended");
		assertThat(page.select("textarea").eachText()).containsExactly("Three hours of writing",
				"## Part one\n\nA <b>long</b> text & more.\n\nSecond paragraph.", "writing");
		assertThat(page.select("label").eachText()).containsExactly("title", "body", "tags");
		assertThat(refused.body()).doesNotContain("<b>long</b>").doesNotContain("_csrf");
		assertThat(page.select("a[href=/admin/articles/new]")).hasSize(1);
		assertThat(page.select("a[href=/login]")).hasSize(1);
		assertThat(app.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM entry WHERE title = 'Three hours of writing'")
			.query(Long.class)
			.single()).as("nothing saved").isZero();
	}

	@Test
	void anEditSentAfterTheSessionEndedListsWhatWasTypedNotTheVersionTheFormShowed() {
		Entry article = app.bean(ContentEditor.class)
			.create(EntryKind.ARTICLE, EntryChanges.anEntry("Edited too late").published(false).build());
		String editPath = "/admin/articles/" + article.id();
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		Map<String, String> form = Forms.fields(owner.get(editPath).body(), editPath);
		endEverySession();
		form.put("body", "Typed while signed out");

		HttpResponse<String> refused = owner.post(editPath, form);

		assertThat(refused.statusCode()).isEqualTo(403);
		Document page = Jsoup.parse(refused.body());
		assertThat(page.select("label").eachText()).contains("title", "body").doesNotContain("version");
		assertThat(page.select("textarea").eachText()).contains("Typed while signed out");
	}

	@Test
	void anEditorFormWithNoTextSentAfterTheSessionEndedSaysNothingWasSaved() {
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/admin/profile");
		endEverySession();

		HttpResponse<String> refused = owner.post("/admin/profile", Map.of());

		assertThat(refused.statusCode()).isEqualTo(403);
		Document page = Jsoup.parse(refused.body());
		assertThat(page.select("main").text()).contains("nothing was saved").contains("The form sent no text.");
		assertThat(page.select("a[href=/admin/profile]")).hasSize(1);
	}

	@Test
	void theSetupFormAndActionsSentWithoutTheirTokenShowNothingBack() {
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/admin");
		endEverySession();

		for (HttpResponse<String> refused : new HttpResponse[] {
				owner.post("/admin/setup",
						Map.of("token", "setup-token-from-the-log", "email", "new@example.com", "password",
								"a secret passphrase", "confirm", "a secret passphrase")),
				owner.post("/admin/render", Map.of("note", "an action's field")) }) {
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.body()).doesNotContain("setup-token-from-the-log")
				.doesNotContain("a secret passphrase")
				.doesNotContain("an action's field")
				.doesNotContain("<textarea");
		}
	}

	@Test
	void anEditorFormAnotherSiteMadeTheBrowserSendShowsNothingBack() {
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");
		endEverySession();

		HttpResponse<String> refused = owner.post("/admin/articles/new",
				Map.of("title", "Text another site chose", "body", "Paste this into your console"), "Sec-Fetch-Site",
				"cross-site");

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).doesNotContain("Text another site chose").doesNotContain("<textarea");
	}

	@Test
	void aVisitorsFormWithoutItsTokenElsewhereIsStillABare403() {
		WebSession visitor = new WebSession(app.port());

		HttpResponse<String> refused = visitor.post("/logout", Map.of("note", "hello"));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).doesNotContain("hello");
	}

	/** As the idle timeout does: sessions live in PostgreSQL (Spring Session JDBC). */
	private static void endEverySession() {
		app.bean(JdbcClient.class).sql("DELETE FROM spring_session").update();
	}

}
