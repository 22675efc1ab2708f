package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The setup link's form, over HTTP to a web process without an owner account: a password
 * the account cannot take is refused on the form, with what it must be.
 */
class SetupFormTests {

	private static final String EMAIL = "owner@example.com";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("setup_form", "vitrine.roles=web", "vitrine.content.demo=false");
	}

	@AfterAll
	static void stop() {
		app.close();
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
