package dev.vitrine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.vitrine.support.WebSession.loopback;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code owner reset-password}: the operator's way back in when the owner cannot sign in,
 * run through the same entry point as {@code java -jar vitrine.jar owner ...} against the
 * database of a running app.
 */
class OwnerCommandTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("owner_command", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aResetGivesANewPasswordSignsOutTheOwnersSessionsAndClearsTheThrottle() {
		WebSession stolen = new WebSession(app.port(), loopback(9)).signIn(EMAIL, PASSWORD);
		assertThat(stolen.get("/admin").statusCode()).isEqualTo(200);
		// the owner's own address is throttled by someone else's guesses
		int guesses = 0;
		while (guesses < 10 && signIn(loopback(8), "guess " + guesses).statusCode() != 429) {
			guesses++;
		}
		assertThat(signIn(loopback(8), PASSWORD).statusCode()).isEqualTo(429);

		Run reset = run("new password, long enough\n", "owner", "reset-password");

		assertThat(reset.code()).as(reset.err()).isZero();
		assertThat(reset.out()).matches("New password set for owner@example.com; \\d+ sessions? signed out;"
				+ " sign-in throttling cleared \\(\\d+ failed sign-ins forgotten\\)\n");
		assertThat(stolen.get("/admin").statusCode()).as("the old session is signed out").isEqualTo(302);
		assertThat(signIn(loopback(8), PASSWORD).headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		assertThat(signIn(loopback(8), "new password, long enough").headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin"));
	}

	@Test
	void aShortOrMissingPasswordChangesNothing() {
		Run tooShort = run("short\n", "owner", "reset-password");
		Run none = run("", "owner", "reset-password");

		assertThat(tooShort.code()).isEqualTo(2);
		assertThat(tooShort.err()).contains("at least 10 characters; nothing was changed");
		assertThat(none.code()).isEqualTo(2);
		assertThat(none.err()).contains("no password on standard input");
		assertThat(signIn(loopback(10), PASSWORD).statusCode()).isEqualTo(302);
	}

	@Test
	void aPasswordLongerThanBcryptHashesIsWrongInputAndChangesNothing() {
		String before = passwordHash();
		// 87 bytes, and 74 bytes in 37 characters
		for (String tooLong : new String[] { "a".repeat(87), "é".repeat(37) }) {
			Run reset = run(tooLong + "\n", "owner", "reset-password");

			assertThat(reset.code()).as(reset.err()).isEqualTo(2);
			assertThat(reset.err()).contains("must be at most 72 bytes").contains("nothing was changed");
		}
		assertThat(passwordHash()).isEqualTo(before);
	}

	@Test
	void wrongUsageExplainsItself() {
		for (String[] args : new String[][] { { "owner" }, { "owner", "reset" },
				{ "owner", "reset-password", "now" } }) {
			Run run = run("new password, long enough\n", args);

			assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
			assertThat(run.err()).contains("usage: java -jar vitrine.jar owner reset-password");
		}
	}

	private static HttpResponse<String> signIn(InetAddress from, String password) {
		WebSession session = new WebSession(app.port(), from);
		session.get("/login");
		return session.post("/login", Map.of("username", EMAIL, "password", password));
	}

	private static String passwordHash() {
		return app.bean(JdbcClient.class).sql("SELECT password_hash FROM admin_user").query(String.class).single();
	}

	private static Run run(String stdin, String... args) {
		Environment environment = app.bean(Environment.class);
		String[] command = Stream
			.concat(Stream.of(args), Stream.of("--vitrine.db.url=" + environment.getProperty("vitrine.db.url"),
					"--vitrine.db.user=" + environment.getProperty("vitrine.db.user")))
			.toArray(String[]::new);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = VitrineApplication.runCommand(command,
				new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out, String err) {
	}

}
