package dev.vitrine.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without an owner account, each start of the jar logs a new setup link; the links of
 * earlier starts, still in old logs, stop working, so one link is valid at a time.
 */
class SetupLinkIT {

	@Test
	void onlyTheLinkOfTheLatestStartCreatesTheOwner() {
		String database = TestPostgres.newMigratedDatabase("setup_link");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DB_URL", database, "VITRINE_DB_USER", TestPostgres.user(),
				"VITRINE_ROLES", "web", "SERVER_PORT", Integer.toString(port), "VITRINE_CONTENT_DEMO", "false");
		List<String> tokens = new ArrayList<>();

		for (int start = 1; start <= 3; start++) {
			try (AppProcess app = AppProcess.start("setup-link-" + start, environment)) {
				tokens.add(app.awaitLine("/admin/setup\\?token=([A-Za-z0-9_-]+)", Duration.ofMinutes(4)).group(1));
				app.awaitHealthy(port, Duration.ofMinutes(4));
				if (start < 3) {
					app.stop(Duration.ofSeconds(60));
					continue;
				}

				assertThat(tokens).doesNotHaveDuplicates();
				assertThat(Http.get(port, "/admin/setup?token=" + tokens.get(0)).statusCode()).as("first start's")
					.isEqualTo(404);
				assertThat(Http.get(port, "/admin/setup?token=" + tokens.get(1)).statusCode()).as("second start's")
					.isEqualTo(404);
				assertThat(Http.get(port, "/admin/setup?token=" + tokens.get(2)).statusCode()).as("latest start's")
					.isEqualTo(200);
			}
		}
	}

}
