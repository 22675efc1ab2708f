package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions live in PostgreSQL: a sign-in on one web replica is good on every other, for a
 * form one of them gave too, and outlives a restart of them all (README: "Sessions are
 * stored in PostgreSQL").
 */
class SessionsAcrossReplicasTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final String[] WEB = { "vitrine.roles=web", "vitrine.content.demo=false",
			"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD };

	@Test
	void aSignInOnOneReplicaServesOnAnotherAndOutlivesARestart() {
		String database = TestPostgres.newMigratedDatabase("sessions_replicas");
		WebSession owner;
		try (RunningApp first = RunningApp.startOn(database, WEB);
				RunningApp second = RunningApp.startOn(database, WEB)) {
			owner = new WebSession(first.port()).signIn(EMAIL, PASSWORD);
			owner.get("/admin/articles/new");
			WebSession atSecond = owner.atPort(second.port());

			assertThat(atSecond.get("/admin").statusCode()).as("the admin on the other replica").isEqualTo(200);
			// the form from the first replica, sent to the second
			HttpResponse<String> saved = atSecond.post("/admin/articles/new",
					Map.of("title", "Saved across replicas", "slug", "", "summary", "", "body", "Body", "tags", ""));
			assertThat(saved.statusCode()).isEqualTo(302);
			assertThat(saved.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).matches(".*/admin/articles/\\d+"));
		}

		try (RunningApp restarted = RunningApp.startOn(database, WEB)) {
			HttpResponse<String> admin = owner.atPort(restarted.port()).get("/admin/articles");

			assertThat(admin.statusCode()).as("signed in still, after every replica restarted").isEqualTo(200);
			assertThat(admin.body()).contains("Saved across replicas");
		}
	}

}
