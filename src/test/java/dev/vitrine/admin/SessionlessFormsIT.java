package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar as deployed, attacked from outside: showing the public forms (login, contact)
 * or knocking on the admin writes no session row however often it is done, and the forms
 * stay CSRF-protected with the token in a cookie.
 */
class SessionlessFormsIT {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static String database;

	private static int port;

	private static AppProcess app;

	@BeforeAll
	static void start() {
		database = TestPostgres.newMigratedDatabase("sessionless_forms");
		port = Http.freePort();
		Map<String, String> environment = AppProcess.siteEnvironment(database, "web", port);
		environment.put("VITRINE_ADMIN_EMAIL", EMAIL);
		environment.put("VITRINE_ADMIN_PASSWORD", PASSWORD);
		app = AppProcess.start("sessionless-forms", environment);
		app.awaitHealthy(port, Duration.ofMinutes(4));
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aThousandAnonymousVisitsToTheFormsAndTheAdminAddNoSessionRow() throws SQLException {
		long before = sessions();
		List<String> paths = List.of("/contact", "/login", "/admin/articles");

		for (int i = 0; i < 1000; i++) {
			String path = paths.get(i % paths.size());
			HttpResponse<String> response = Http.get(port, path);
			if (path.startsWith("/admin")) {
				assertThat(response.statusCode()).as(path).isEqualTo(302);
			}
			else {
				assertThat(response.statusCode()).as(path).isEqualTo(200);
				assertThat(response.body()).as(path).containsPattern(TOKEN);
				assertThat(response.headers().allValues("Set-Cookie")).as(path)
					.anySatisfy((cookie) -> assertThat(cookie).startsWith("XSRF-TOKEN=").contains("HttpOnly"))
					.noneSatisfy((cookie) -> assertThat(cookie).startsWith("SESSION="));
			}
		}

		assertThat(sessions()).isEqualTo(before);
	}

	@Test
	void theLoginFormRefusesPostsWithoutTheVisitorsOwnTokenAndSignsInWithIt() throws SQLException {
		long before = sessions();
		Map<String, String> credentials = Map.of("username", EMAIL, "password", PASSWORD);

		WebSession forger = new WebSession(port);
		assertThat(forger.post("/login", credentials).statusCode()).as("no cookie, no token").isEqualTo(403);
		forger.get("/contact");
		assertThat(forger.post("/login", with(credentials, "")).statusCode()).as("cookie, empty token").isEqualTo(403);
		String othersToken = token(new WebSession(port).get("/login"));
		assertThat(forger.post("/login", with(credentials, othersToken)).statusCode())
			.as("another visitor's token with this visitor's cookie")
			.isEqualTo(403);
		assertThat(sessions()).isEqualTo(before);

		WebSession owner = new WebSession(port);
		assertThat(owner.get("/admin/articles").headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
		owner.get("/login");
		HttpResponse<String> signedIn = owner.post("/login", credentials);

		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location")).as("back to the page asked for")
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin/articles"));
		assertThat(owner.get("/admin/articles").statusCode()).isEqualTo(200);
		assertThat(sessions()).as("the owner's session").isEqualTo(before + 1);
		assertThat(count("SELECT count(*) FROM spring_session WHERE principal_name = '" + EMAIL
				+ "' AND max_inactive_interval = 1800"))
			.as("stored for the owner, expiring after Spring Boot's default 30 minutes idle")
			.isEqualTo(1);
	}

	@Test
	void failedSignInsAddNoSessionRow() throws SQLException {
		long before = sessions();
		WebSession guesser = new WebSession(port);

		for (int i = 0; i < 3; i++) {
			guesser.get("/login");
			HttpResponse<String> refused = guesser.post("/login",
					Map.of("username", "guess" + i + "@example.com", "password", "wrong password " + i));
			assertThat(refused.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		}

		assertThat(guesser.get("/login?error").body()).contains("Wrong email or password.");
		assertThat(sessions()).isEqualTo(before);
	}

	@Test
	void theContactFormRefusesAPostWithoutTheTokenAndTakesOneWithIt() throws SQLException {
		long before = sessions();
		Map<String, String> message = new LinkedHashMap<>(Map.of("name", "Ada", "email", "ada@example.com", "subject",
				"", "message", "Hello from a visitor without a session", "website", ""));

		WebSession forger = new WebSession(port);
		forger.get("/");
		assertThat(forger.post("/contact", message).statusCode()).as("no token").isEqualTo(403);

		WebSession visitor = new WebSession(port);
		visitor.get("/contact");
		HttpResponse<String> sent = visitor.post("/contact", message);

		assertThat(sent.statusCode()).isEqualTo(302);
		assertThat(sent.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/contact?sent"));
		assertThat(count("SELECT count(*) FROM contact_message")).isEqualTo(1);
		assertThat(sessions()).isEqualTo(before);
	}

	private static Map<String, String> with(Map<String, String> fields, String token) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.put("_csrf", token);
		return all;
	}

	private static String token(HttpResponse<String> page) {
		Matcher matcher = TOKEN.matcher(page.body());
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	private static long sessions() throws SQLException {
		return count("SELECT count(*) FROM spring_session");
	}

	private static long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

}
