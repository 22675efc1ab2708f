package dev.vitrine.ops;

import java.nio.file.Path;
import java.time.Duration;

import dev.vitrine.VitrineApplication;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows the database: DOWN while it is unreachable, UP again when it returns.
 */
class ReadinessTests {

	@Test
	void workerIsDownWhileItCannotReachTheDatabase() throws Exception {
		Path data = TestDirectories.fresh("worker-readiness");
		int databasePort = Http.freePort();
		int port = Http.freePort();
		EmbeddedPostgres database = EmbeddedPostgres.start(data, databasePort);
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + database.jdbcUrl(), "vitrine.db.user=" + database.user(),
					"vitrine.db.password=" + database.password(), "vitrine.db.connection-timeout=1s",
					"vitrine.roles=worker", "vitrine.management.port=" + port, "vitrine.content.demo=false")
			.run()) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Http.get(port, "/actuator/health/readiness").body())
					.contains("\"jobWorker\":{\"status\":\"UP\""));

			database.close();

			await().atMost(Duration.ofSeconds(40))
				.untilAsserted(() -> assertThat(Http.get(port, "/actuator/health/readiness").body())
					.contains("\"jobWorker\":{\"status\":\"DOWN\""));
			assertThat(Http.get(port, "/health/").statusCode()).isEqualTo(503);
		}
		finally {
			database.close();
		}
	}

	@Test
	void readinessGoesDownWithTheDatabaseAndRecoversWhileLivenessStaysUp() throws Exception {
		Path data = TestDirectories.fresh("readiness");
		int databasePort = Http.freePort();
		int port = Http.freePort();
		EmbeddedPostgres database = EmbeddedPostgres.start(data, databasePort);
		// as a deploy's worker leaves it: a web process does not migrate
		TestPostgres.migrate(database.jdbcUrl(), database.user(), database.password());
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + database.jdbcUrl(), "vitrine.db.user=" + database.user(),
					"vitrine.db.password=" + database.password(), "vitrine.db.connection-timeout=1s",
					"vitrine.roles=web", "server.port=" + port, "vitrine.management.port=0")
			.run()) {
			// ready once its background check has found the schema, which may be after
			// run()
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(
						() -> assertThat(Http.get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200));

			database.close();

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(Http.get(port, "/actuator/health/readiness").statusCode()).isEqualTo(503));
			assertThat(Http.get(port, "/health/").statusCode()).isEqualTo(503);
			assertThat(Http.get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);

			database = EmbeddedPostgres.start(data, databasePort);

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(
						() -> assertThat(Http.get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200));
			assertThat(Http.get(port, "/health/").statusCode()).isEqualTo(200);
		}
		finally {
			database.close();
		}
	}

}
