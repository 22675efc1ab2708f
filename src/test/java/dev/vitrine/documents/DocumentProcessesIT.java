package dev.vitrine.documents;

import java.time.Duration;
import java.util.Map;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment's split, as separate processes on one database: the web process never
 * starts a browser; a worker process renders what the web process's content needs, and
 * the web process serves it.
 */
class DocumentProcessesIT {

	@Test
	void theWebRoleHasNoBrowserAndServesWhatAWorkerRendered() {
		String database = TestPostgres.newMigratedDatabase("rendering_processes");
		int webPort = Http.freePort();
		try (AppProcess web = AppProcess.start("rendering-web", Map.of("VITRINE_DB_URL", database, "VITRINE_DB_USER",
				TestPostgres.user(), "VITRINE_ROLES", "web", "SERVER_PORT", Integer.toString(webPort)))) {
			web.awaitHealthy(webPort, Duration.ofMinutes(2));
			// the first start seeded the demo content and enqueued its renders;
			// nobody renders them yet
			assertThat(Http.get(webPort, "/resume.pdf").statusCode()).isEqualTo(404);

			int workerPort = Http.freePort();
			try (AppProcess worker = AppProcess.start("rendering-worker",
					Map.of("VITRINE_DB_URL", database, "VITRINE_DB_USER", TestPostgres.user(), "VITRINE_ROLES",
							"worker", "VITRINE_MANAGEMENT_PORT", Integer.toString(workerPort)))) {
				worker.awaitHealthy(workerPort, Duration.ofMinutes(2));

				await().atMost(Duration.ofSeconds(90))
					.until(() -> Http.get(webPort, "/resume.pdf").statusCode() == 200);
				await().atMost(Duration.ofSeconds(90))
					.until(() -> Http.get(webPort, "/articles/one-dockerfile")
						.body()
						.contains("/cards/articles/one-dockerfile.png?v="));
				assertThat(browsers(worker.pid())).as("the worker's Chromium processes").isPositive();
			}
			assertThat(browsers(web.pid())).as("the web process's Chromium processes").isZero();
		}
	}

	private static long browsers(long pid) {
		return ProcessHandle.of(pid)
			.map((process) -> process.descendants()
				.filter((child) -> child.info().command().map((command) -> command.contains("chromium")).orElse(false))
				.count())
			.orElse(0L);
	}

}
