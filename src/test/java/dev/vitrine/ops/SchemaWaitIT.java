package dev.vitrine.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web process on an external database does not migrate: it waits, not ready and serving
 * no page, while the schema is behind its code, says what to run, and serves once another
 * process has migrated it; started beside a worker on an empty database, both become
 * ready; a newer schema than the code (a rollback) is served at once. Each process is the
 * jar in a JVM of its own, as in a deploy.
 */
class SchemaWaitIT {

	private static final Duration START = Duration.ofMinutes(4);

	@Test
	void aWebProcessWaitsForTheSchemaAndServesOnceMigrateHasRun() throws Exception {
		String database = TestPostgres.newDatabase("schema_wait");
		int port = Http.freePort();
		Map<String, String> environment = AppProcess.siteEnvironment(database, "web", port);
		environment.put("VITRINE_ADMIN_EMAIL", "owner@example.org");
		environment.put("VITRINE_ADMIN_PASSWORD", "schema-wait-password-1");
		int management = Http.freePort();
		environment.put("VITRINE_MANAGEMENT_PORT", Integer.toString(management));

		try (AppProcess web = AppProcess.start("schema-wait-web", environment)) {
			web.awaitLine("Schema: the database schema is at version none, this code needs \\d+; waiting"
					+ ".*run `java -jar vitrine.jar migrate`", START);
			web.awaitLine("Started VitrineApplication", START);

			HttpResponse<String> health = Http.get(port, "/health/");
			assertThat(health.statusCode()).isEqualTo(503);
			JsonNode schema = Http.json(health).at("/components/schema");
			assertThat(schema.at("/status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(schema.at("/description").asString())
				.startsWith("waiting for the database schema is at version none, this code needs");
			HttpResponse<String> page = Http.get(port, "/");
			assertThat(page.statusCode()).isEqualTo(503);
			assertThat(page.body()).contains("Starting: the database schema is at version none");
			// answered ahead of Spring Security, with its headers all the same
			assertThat(page.headers().firstValue("Content-Security-Policy"))
				.hasValue(SecurityHeaders.CONTENT_SECURITY_POLICY);
			assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
			assertThat(historyRows(database)).as("the web process migrated nothing").isEqualTo(-1);

			try (AppProcess migrate = AppProcess.run("schema-wait-migrate", environment, "migrate")) {
				assertThat(migrate.awaitExit(START)).as(migrate.output()).isZero();
				assertThat(migrate.output()).containsPattern("Database schema at version \\d+");
			}

			web.awaitHealthy(port, Duration.ofSeconds(30));
			web.awaitLine("Schema: at version \\d+ now; ready", Duration.ofSeconds(5));
			assertThat(Http.get(port, "/").statusCode()).isEqualTo(200);
			// what waited for the schema ran once it was there: the owner account, and
			// listening for content changes, without which pages are not cached
			web.awaitLine("owner account owner@example.org created", Duration.ofSeconds(5));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				Http.get(port, "/");
				return cachedPages(management) > 0;
			});
		}
	}

	@Test
	void webAndWorkerStartedTogetherOnAnEmptyDatabaseBothBecomeReady() {
		String database = TestPostgres.newDatabase("schema_together");
		int webPort = Http.freePort();
		int workerPort = Http.freePort();
		Map<String, String> workerEnvironment = AppProcess.siteEnvironment(database, "worker,scheduler", workerPort);
		workerEnvironment.put("VITRINE_MANAGEMENT_PORT", Integer.toString(workerPort));

		try (AppProcess web = AppProcess.start("schema-together-web",
				AppProcess.siteEnvironment(database, "web", webPort));
				AppProcess worker = AppProcess.start("schema-together-worker", workerEnvironment)) {
			worker.awaitHealthy(workerPort, START);
			web.awaitHealthy(webPort, START);
			assertThat(Http.get(webPort, "/").statusCode()).isEqualTo(200);
			assertThat(web.output()).doesNotContain("Migrating schema");
		}
	}

	@Test
	void aSchemaNewerThanTheCodeIsServedAsARollbackIs() throws Exception {
		String database = TestPostgres.newMigratedDatabase("schema_newer");
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement()) {
			statement.execute("""
					INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,
					                                   checksum, installed_by, execution_time, success)
					SELECT max(installed_rank) + 1, '1000', 'from a later release', 'SQL', 'V1000__later.sql',
					       0, current_user, 0, true
					FROM flyway_schema_history""");
		}
		int port = Http.freePort();

		try (AppProcess web = AppProcess.start("schema-newer-web", AppProcess.siteEnvironment(database, "web", port))) {
			web.awaitHealthy(port, START);
			assertThat(web.output()).contains("the database is at version 1000, newer than this code's");
			assertThat(Http.get(port, "/").statusCode()).isEqualTo(200);
		}
	}

	private static long cachedPages(int management) {
		Matcher value = Pattern.compile("(?m)^vitrine_page_cache_pages\\{[^}]*} (\\S+)$")
			.matcher(Http.get(management, "/actuator/prometheus").body());
		return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
	}

	/** Rows of flyway_schema_history, or -1 when there is no such table. */
	private static int historyRows(String database) throws Exception {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement();
				ResultSet exists = statement.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
			exists.next();
			if (!exists.getBoolean(1)) {
				return -1;
			}
		}
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
			count.next();
			return count.getInt(1);
		}
	}

}
