package dev.vitrine.site;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Forms;
import dev.vitrine.support.Http;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar as deployed, web and worker in one process: what the owner takes back is no
 * longer served. An unpublished or deleted entry's social card is a 404 and its stored
 * file is gone; an image shown only by a draft is the owner's alone.
 */
class RetractedContentIT {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final String CARD = "/cards/articles/taken-back.png";

	private static String database;

	private static int port;

	private static AppProcess app;

	@BeforeAll
	static void start() {
		database = TestPostgres.newDatabase("retracted_content");
		port = Http.freePort();
		Map<String, String> environment = AppProcess.siteEnvironment(database, "all", port);
		environment.put("VITRINE_ADMIN_EMAIL", EMAIL);
		environment.put("VITRINE_ADMIN_PASSWORD", PASSWORD);
		app = AppProcess.start("retracted-content", environment);
		app.awaitHealthy(port, Duration.ofMinutes(4));
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void anUnpublishedOrDeletedEntrysCardIsGone() throws Exception {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		saveProfile(owner);
		String editor = create(owner, "Taken back", "Soon gone.", true);

		awaitCard(200);
		assertThat(storedCards()).isEqualTo(1);

		owner.get(editor);
		assertThat(owner.post(editor + "/unpublish", Map.of()).statusCode()).isEqualTo(302);
		assertThat(Http.get(port, CARD).statusCode()).isEqualTo(404);
		assertThat(storedCards()).as("the unpublished entry's stored card").isZero();

		owner.get(editor);
		assertThat(owner.post(editor + "/publish", Map.of()).statusCode()).isEqualTo(302);
		awaitCard(200);
		owner.get(editor);
		assertThat(owner.post(editor + "/delete", Map.of()).statusCode()).isEqualTo(302);
		assertThat(Http.get(port, CARD).statusCode()).isEqualTo(404);
		assertThat(storedCards()).as("the deleted entry's stored card").isZero();
	}

	@Test
	void theNightlyRunDeletesACardALateRenderStoredForAnEntryNoLongerPublic() throws Exception {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		// the render jobs do nothing without a profile
		saveProfile(owner);
		// as a render that began before its entry was unpublished and finished after
		execute("INSERT INTO rendered_file (name, source_version, content_type, bytes, sha256)"
				+ " VALUES ('cards/projects/never-public.png', '1/1', 'image/png', '\\x00', 'late')");
		assertThat(Http.get(port, "/cards/projects/never-public.png").statusCode()).isEqualTo(404);

		owner.get("/monitor/schedules");
		assertThat(owner.post("/monitor/schedules/site.render-stale/run", Map.of()).statusCode()).isEqualTo(302);

		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> count("cards/projects/never-public.png") == 0);
	}

	@Test
	void anImageShownOnlyByADraftIsTheOwnersAlone() throws Exception {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		String shown = upload(owner, "shown.png");
		String hidden = upload(owner, "hidden.png");
		String article = create(owner, "With a picture", "![shown](" + shown + ")", true);
		create(owner, "A draft with a picture", "![hidden](" + hidden + ")", false);
		WebSession visitor = new WebSession(port);

		HttpResponse<byte[]> published = visitor.getBytes(shown);
		assertThat(published.statusCode()).isEqualTo(200);
		assertThat(published.headers().firstValue("Cache-Control")).hasValue("no-cache, public");
		assertThat(visitor.getBytes(hidden).statusCode()).isEqualTo(404);
		assertThat(visitor.getBytes(thumbnail(hidden)).statusCode()).isEqualTo(404);

		HttpResponse<byte[]> owners = owner.getBytes(hidden);
		assertThat(owners.statusCode()).isEqualTo(200);
		assertThat(owners.headers().firstValue("Cache-Control")).hasValue("no-cache, private");
		assertThat(owner.getBytes(thumbnail(hidden)).statusCode()).isEqualTo(200);
		assertThat(owner.get("/admin/media").body()).contains(thumbnail(hidden));

		owner.get(article);
		assertThat(owner.post(article + "/unpublish", Map.of()).statusCode()).isEqualTo(302);
		assertThat(visitor.getBytes(shown).statusCode()).as("an image of an unpublished entry").isEqualTo(404);
		assertThat(owner.getBytes(shown).statusCode()).isEqualTo(200);
	}

	private static void saveProfile(WebSession owner) {
		Map<String, String> profile = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		profile.putAll(Map.of("name", "Ada Lovelace", "headline", "Engines", "location", "", "email", "", "links", "",
				"bioMarkdown", "", "resumeMarkdown", ""));
		HttpResponse<String> saved = owner.post("/admin/profile", profile);
		assertThat(saved.statusCode()).isEqualTo(302);
	}

	/** Creates an article and returns its editor's path. */
	private static String create(WebSession owner, String title, String body, boolean published) {
		owner.get("/admin/articles/new");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("title", title);
		form.put("slug", "");
		form.put("summary", "");
		form.put("body", body);
		form.put("tags", "");
		if (published) {
			form.put("published", "true");
		}
		HttpResponse<String> created = owner.post("/admin/articles/new", form);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
		return created.headers().firstValue("Location").orElseThrow().replaceAll("^https?://[^/]+", "");
	}

	/** Uploads a PNG and returns the path the admin says to use it by. */
	private static String upload(WebSession owner, String name) throws IOException {
		owner.get("/admin/media");
		assertThat(owner.upload("/admin/media", "file", name, "image/png", png()).statusCode()).isEqualTo(302);
		Matcher path = Pattern.compile("\\]\\((/media/\\d+/[^)]+)\\)").matcher(owner.get("/admin/media").body());
		assertThat(path.find()).isTrue();
		return path.group(1);
	}

	private static String thumbnail(String path) {
		return path.substring(0, path.lastIndexOf('/')) + "/thumbnail";
	}

	private static void awaitCard(int status) {
		// a worker renders it with Chromium after the publication commits
		await().atMost(Duration.ofMinutes(4))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> Http.get(port, CARD).statusCode() == status);
	}

	private static long storedCards() throws SQLException {
		return count(CARD.substring(1));
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.executeUpdate();
		}
	}

	private static long count(String renderedFile) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				PreparedStatement statement = connection
					.prepareStatement("SELECT count(*) FROM rendered_file WHERE name = ?")) {
			statement.setString(1, renderedFile);
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	private static byte[] png() throws IOException {
		BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.ORANGE);
		graphics.fillRect(0, 0, 32, 32);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
