package dev.vitrine.ops;

import java.net.http.HttpResponse;

import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A deploy gate that reaches only the public port (CapRover) reads the serving revision
 * at {@code /health/deploy} with the deploy token, and nobody else reads it there.
 */
class DeployInfoTests {

	private static final String TOKEN = "6f1d0c3b9a8e7d6c5b4a39281706f5e4d3c2b1a0";

	private static final String REVISION = "3f9c2e1d8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";

	@Test
	void theDeployTokenReadsTheServingRevisionOnThePublicPortAndNothingElseDoes() {
		try (RunningApp app = RunningApp.start("deploy_info", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.deploy.token=" + TOKEN, "vitrine.revision=" + REVISION)) {
			HttpResponse<String> anonymous = Http.get(app.port(), "/health/deploy");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.body()).contains("VITRINE_DEPLOY_TOKEN").doesNotContain(REVISION);
			HttpResponse<String> guessed = Http.get(app.port(), "/health/deploy", "Authorization",
					"Bearer " + TOKEN.replace('6', '7'));
			assertThat(guessed.statusCode()).isEqualTo(401);
			assertThat(guessed.body()).doesNotContain(REVISION);

			HttpResponse<String> gate = Http.get(app.port(), "/health/deploy", "Authorization", "Bearer " + TOKEN);
			assertThat(gate.statusCode()).isEqualTo(200);
			assertThat(gate.body()).contains("\"revision\":\"" + REVISION + "\"").contains("\"liveWorkers\":{");
			// the same as /actuator/info, which stays off the public port
			assertThat(Http.get(app.port(), "/actuator/info").statusCode()).isEqualTo(404);
			assertThat(Http.get(app.managementPort(), "/actuator/info").body())
				.contains("\"revision\":\"" + REVISION + "\"");
		}
	}

	@Test
	void aShortDeployTokenIsRefusedNamingTheSetting() {
		assertThatThrownBy(() -> RunningApp.start("deploy_info_short", "vitrine.roles=web",
				"vitrine.content.demo=false", "vitrine.deploy.token=secret"))
			.hasRootCauseInstanceOf(InvalidSettingException.class)
			.rootCause()
			.hasMessageContaining("VITRINE_DEPLOY_TOKEN")
			.hasMessageContaining("it has 6 characters; use at least 32 random ones");
	}

}
