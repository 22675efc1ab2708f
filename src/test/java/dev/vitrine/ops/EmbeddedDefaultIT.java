package dev.vitrine.ops;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar started with no database configured runs the embedded PostgreSQL, keeps its
 * data in {@code VITRINE_DATA_DIR} across restarts and stops it on SIGTERM.
 */
class EmbeddedDefaultIT {

	private static final String DATABASE_LINE = "Database: embedded PostgreSQL [0-9.]+ at (jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/vitrine)";

	@Test
	void restartKeepsTheDataInTheDataDirectory() throws Exception {
		Path data = TestDirectories.fresh("embedded-default");
		int port = Http.freePort();
		Map<String, String> environment = Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port));

		try (AppProcess first = AppProcess.start("embedded-first", environment)) {
			first.awaitHealthy(port, Duration.ofMinutes(2));
			Matcher database = first.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", null);
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE restart_probe (note text)");
				statement.execute("INSERT INTO restart_probe VALUES ('written before the restart')");
			}
			int databasePort = Integer.parseInt(database.group(2));

			first.stop(Duration.ofSeconds(60));

			assertThat(Http.listening(databasePort)).as("embedded PostgreSQL stopped with the app").isFalse();
			assertThat(first.output()).contains("Embedded PostgreSQL stopped");
		}

		try (AppProcess second = AppProcess.start("embedded-second", environment)) {
			second.awaitHealthy(port, Duration.ofMinutes(2));
			Matcher database = second.awaitLine(DATABASE_LINE, Duration.ofSeconds(1));
			try (Connection connection = DriverManager.getConnection(database.group(1), "vitrine", null);
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT note FROM restart_probe")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getString(1)).isEqualTo("written before the restart");
			}
			assertThat(second.output()).doesNotContain("first start");
		}
	}

	@Test
	void jsonLogFormatPrintsOneJsonObjectPerLine() {
		Path data = TestDirectories.fresh("json-logs");
		int port = Http.freePort();
		try (AppProcess app = AppProcess.start("json-logs", Map.of("VITRINE_DATA_DIR", data.toString(), "SERVER_PORT",
				Integer.toString(port), "VITRINE_LOG_FORMAT", "json"))) {
			app.awaitHealthy(port, Duration.ofMinutes(2));
			String line = app.awaitLine("Database: embedded PostgreSQL", Duration.ofSeconds(1)).group();

			String logLine = app.lines().stream().filter((candidate) -> candidate.contains(line)).findFirst().get();
			JsonNode json = JsonMapper.builder().build().readTree(logLine);
			assertThat(json.path("log").path("level").asString()).isEqualTo("INFO");
			assertThat(json.path("message").asString()).startsWith("Database: embedded PostgreSQL");
			assertThat(json.has("@timestamp")).isTrue();
			app.stop(Duration.ofSeconds(60));
		}
	}

}
