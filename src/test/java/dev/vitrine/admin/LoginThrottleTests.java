package dev.vitrine.admin;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.vitrine.support.WebSession.loopback;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in throttling over real HTTP, with clients on different loopback addresses
 * (127.0.0.N): it slows down one address guessing one account, and only that.
 */
class LoginThrottleTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	private static int port;

	@BeforeAll
	static void start() {
		app = RunningApp.start("login_throttle", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);
		port = app.port();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void anAttackerGuessingFromOneAddressDoesNotLockTheOwnerOutFromAnother() {
		InetAddress attacker = loopback(2);
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			assertThat(signIn(attacker, "guess number " + i).headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		}

		HttpResponse<String> refused = signIn(attacker, PASSWORD);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, LoginThrottle.FIRST_DELAY.toSeconds()));
		assertThat(refused.body()).contains("Too many failed sign-ins from this address");
		HttpResponse<String> owner = signIn(loopback(3), PASSWORD);
		assertThat(owner.statusCode()).isEqualTo(302);
		assertThat(owner.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin"));
	}

	@Test
	void everySpellingThatTheDatabaseMatchesToTheAccountCountsAgainstTheSameLimit() {
		// ICU's Turkish lower() folds İ to i, where Java's folds it to i̇ (as glibc's
		// en_US, the official PostgreSQL image's default, does too)
		String url = TestPostgres.newDatabase("login_throttle_tr",
				"TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'tr' LOCALE 'C'");
		TestPostgres.migrate(url, TestPostgres.user(), null);
		String email = "admin@example.com";
		try (RunningApp turkish = RunningApp.startOn(url, "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.admin.email=" + email, "vitrine.admin.password=" + PASSWORD)) {
			assertThat(turkish.bean(JdbcClient.class)
				.sql("SELECT lower('admİn@example.com') = lower(?)")
				.param(email)
				.query(Boolean.class)
				.single()).as("the database signs 'admİn' in as 'admin'").isTrue();
			InetAddress attacker = loopback(21);
			for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
				assertThat(signIn(turkish.port(), attacker, email, "guess number " + i).statusCode()).isEqualTo(302);
			}

			HttpResponse<String> respelled = signIn(turkish.port(), attacker, "admİn@example.com", "another guess");
			// Spring Security trims the name before it looks the account up
			HttpResponse<String> padded = signIn(turkish.port(), attacker, " admİn@example.com  ", "one more guess");

			assertThat(respelled.statusCode()).as("a guess under another spelling").isEqualTo(429);
			assertThat(padded.statusCode()).as("the same, padded").isEqualTo(429);
		}
	}

	@Test
	void anAccountNameWithAControlCharacterIsABadRequestNotAServerError() {
		HttpResponse<String> response = signIn(loopback(11), "owner\u0000@example.com", PASSWORD);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("An account name cannot contain control characters.");
	}

	@Test
	void eachFailureBeyondTheFreeOnesDoublesTheWait() {
		InetAddress guesser = loopback(4);
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			signIn(guesser, "guess number " + i);
		}
		List<Long> waits = new ArrayList<>();
		for (int round = 0; round < 3; round++) {
			HttpResponse<String> refused = signIn(guesser, "one more guess");
			assertThat(refused.statusCode()).isEqualTo(429);
			long wait = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
			waits.add(wait);
			// let the wait pass: move this address's failures back in time
			jdbc().sql("UPDATE login_failure SET failed_at = failed_at - make_interval(secs => ?) WHERE key LIKE ?")
				.params(wait + 1, "127.0.0.4 %")
				.update();
			assertThat(signIn(guesser, "a guess after waiting").headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		}

		long first = LoginThrottle.FIRST_DELAY.toSeconds();
		assertThat(waits.get(0)).isBetween(first / 2, first);
		assertThat(waits.get(1)).isBetween(first, 2 * first);
		assertThat(waits.get(2)).isBetween(2 * first, 4 * first);
	}

	@Test
	void failuresAreForgottenAfterADay() {
		InetAddress guesser = loopback(8);
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			signIn(guesser, "guess number " + i);
		}
		assertThat(signIn(guesser, "one more guess").statusCode()).isEqualTo(429);

		// a day and a second on: as many free failures again, not a doubled wait
		jdbc().sql("UPDATE login_failure SET failed_at = failed_at - make_interval(secs => ?) WHERE key LIKE ?")
			.params(LoginThrottle.MEMORY.toSeconds() + 1, "127.0.0.8 %")
			.update();
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			assertThat(signIn(guesser, "a guess the next day " + i).headers().firstValue("Location"))
				.as("failure %d the next day", i + 1)
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		}
		assertThat(signIn(guesser, "one guess too many again").statusCode()).isEqualTo(429);
	}

	@Test
	void aSuccessfulSignInClearsThatAddressesFailures() {
		InetAddress owner = loopback(5);
		for (int i = 0; i < LoginThrottle.FREE_FAILURES - 1; i++) {
			signIn(owner, "a typo " + i);
		}
		assertThat(signIn(owner, PASSWORD).headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin"));

		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			assertThat(signIn(owner, "another typo " + i).statusCode()).as("failure %d after the success", i + 1)
				.isEqualTo(302);
		}
		assertThat(signIn(owner, "and one more").statusCode()).isEqualTo(429);
	}

	@Test
	void parallelGuessesCannotAllPassOnTheSameCount() throws Exception {
		// straight at the throttle: the guesses meet in the database at once
		LoginThrottle throttle = app.bean(LoginThrottle.class);
		String key = LoginThrottle.key("127.0.0.6", EMAIL);
		int guesses = 40;
		CyclicBarrier start = new CyclicBarrier(guesses);
		List<Callable<Long>> attempts = new ArrayList<>();
		for (int i = 0; i < guesses; i++) {
			attempts.add(() -> {
				start.await();
				return throttle.admit(key);
			});
		}

		List<Long> waits = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(guesses)) {
			for (Future<Long> wait : threads.invokeAll(attempts)) {
				waits.add(wait.get());
			}
		}

		assertThat(waits).filteredOn((wait) -> wait == 0).hasSize(LoginThrottle.FREE_FAILURES);
	}

	@Test
	void theAccountIsMatchedWhateverItsCaseAndSpaces() {
		InetAddress guesser = loopback(7);
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			signIn(guesser, (i % 2 == 0) ? " OWNER@example.com " : "Owner@Example.com", "guess " + i);
		}

		assertThat(signIn(guesser, EMAIL, "guess again").statusCode()).isEqualTo(429);
	}

	private static HttpResponse<String> signIn(InetAddress from, String password) {
		return signIn(from, EMAIL, password);
	}

	private static HttpResponse<String> signIn(InetAddress from, String email, String password) {
		return signIn(port, from, email, password);
	}

	private static HttpResponse<String> signIn(int port, InetAddress from, String email, String password) {
		WebSession session = new WebSession(port, from);
		session.get("/login");
		return session.post("/login", Map.of("username", email, "password", password));
	}

	private static JdbcClient jdbc() {
		return app.bean(JdbcClient.class);
	}

}
