package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The setup link's form, over HTTP to a web process without an owner account: a password
 * the account cannot take is refused on the form, with what it must be; the link makes
 * one account, however often and however fast it is sent.
 */
class SetupFormTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("setup_form", "vitrine.roles=web", "vitrine.content.demo=false");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@BeforeEach
	void noOwnerYet() {
		app.bean(JdbcClient.class).sql("DELETE FROM admin_user").update();
	}

	@Test
	void theLinkSentManyTimesAtOnceMakesOneAccountAndRefusesTheOtherSends() throws Exception {
		String token = app.bean(OwnerAccount.class).createOrOfferSetup(new AdminSettings(null, null)).orElseThrow();
		int sends = 6;
		List<WebSession> tabs = new ArrayList<>();
		for (int i = 0; i < sends; i++) {
			WebSession tab = new WebSession(app.port());
			tab.get("/admin/setup?token=" + token);
			tabs.add(tab);
		}
		CyclicBarrier together = new CyclicBarrier(sends);
		List<Callable<Integer>> posts = new ArrayList<>();
		for (int i = 0; i < sends; i++) {
			WebSession tab = tabs.get(i);
			// each with an address of its own: the same one would meet the unique email
			String email = "owner" + i + "@example.com";
			posts.add(() -> {
				together.await();
				return tab
					.post("/admin/setup",
							Map.of("token", token, "email", email, "password", PASSWORD, "confirm", PASSWORD))
					.statusCode();
			});
		}

		List<Integer> statuses = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(sends)) {
			for (Future<Integer> status : threads.invokeAll(posts)) {
				statuses.add(status.get());
			}
		}

		assertThat(statuses).containsOnly(302, 404).filteredOn((status) -> status == 302).hasSize(1);
		assertThat(app.bean(JdbcClient.class).sql("SELECT count(*) FROM admin_user").query(Long.class).single())
			.isEqualTo(1);
		assertThat(tabs.get(0)
			.post("/admin/setup",
					Map.of("token", token, "email", "late@example.com", "password", PASSWORD, "confirm", PASSWORD))
			.statusCode()).as("sent again later").isEqualTo(404);
	}

	@Test
	void anExpiredLinkIsRefused() {
		String token = app.bean(OwnerAccount.class).createOrOfferSetup(new AdminSettings(null, null)).orElseThrow();
		WebSession stranger = new WebSession(app.port());
		// the form opened in time, and sent too late
		assertThat(stranger.get("/admin/setup?token=" + token).statusCode()).isEqualTo(200);
		app.bean(JdbcClient.class)
			.sql("UPDATE admin_setup_token SET expires_at = now() - interval '1 second'")
			.update();

		assertThat(stranger.get("/admin/setup?token=" + token).statusCode()).isEqualTo(404);
		assertThat(stranger
			.post("/admin/setup", Map.of("token", token, "email", EMAIL, "password", PASSWORD, "confirm", PASSWORD))
			.statusCode()).isEqualTo(404);
		assertThat(app.bean(OwnerAccount.class).exists()).isFalse();
	}

	@Test
	void aPasswordOver72BytesIsRefusedOnTheFormAndOneOf72BytesSignsIn() {
		// the link a start logs, made again here, which replaces it
		String token = app.bean(OwnerAccount.class).createOrOfferSetup(new AdminSettings(null, null)).orElseThrow();
		WebSession stranger = new WebSession(app.port());
		stranger.get("/admin/setup?token=" + token);

		// 87 bytes, and 74 bytes in 37 characters
		for (String tooLong : new String[] { "a".repeat(87), "é".repeat(37) }) {
			HttpResponse<String> refused = stranger.post("/admin/setup",
					Map.of("token", token, "email", EMAIL, "password", tooLong, "confirm", tooLong));

			assertThat(refused.statusCode()).isEqualTo(422);
			assertThat(refused.body()).contains("The password must be at most 72 bytes");
		}
		String longest = "é".repeat(30) + "a".repeat(12);
		HttpResponse<String> created = stranger.post("/admin/setup",
				Map.of("token", token, "email", EMAIL, "password", longest, "confirm", longest));
		assertThat(created.statusCode()).isEqualTo(302);
		assertThat(
				stranger.get(created.headers().firstValue("Location").orElseThrow().replaceAll("^https?://[^/]+", ""))
					.body())
			.contains("The owner account is made: sign in with its email and password.");
		assertThat(new WebSession(app.port()).signIn(EMAIL, longest).get("/admin").statusCode()).isEqualTo(200);
	}

}
