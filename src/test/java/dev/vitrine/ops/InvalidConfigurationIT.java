package dev.vitrine.ops;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.vitrine.support.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad setting stops the jar before it serves anything, with a message that names the
 * setting and says what would be valid: {@code java -jar target/vitrine.jar} itself, as a
 * user runs it.
 */
class InvalidConfigurationIT {

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					VITRINE_ROLES           | web,wroker   | Invalid VITRINE_ROLES (vitrine.roles): unknown role 'wroker'; valid values: a comma list of web, worker, scheduler, monitor, or all
					VITRINE_ROLES           | ' '          | Invalid VITRINE_ROLES (vitrine.roles): no role given; valid values
					VITRINE_LOG_FORMAT      | xml          | Invalid VITRINE_LOG_FORMAT (vitrine.log-format): 'xml' is not a log format; valid values: plain, json
					VITRINE_MANAGEMENT_PORT | 80a          | Invalid VITRINE_MANAGEMENT_PORT (vitrine.management.port): '80a' is not a port
					VITRINE_DB_URL          | mysql://db/x | must be a PostgreSQL URL such as jdbc:postgresql://
					VITRINE_DB_POOL_SIZE    | -1           | Invalid VITRINE_DB_POOL_SIZE (vitrine.db.pool-size): -1 is not a number from 1 to 500
					""")
	void badSettingStopsStartupNamingTheSetting(String variable, String value, String message) {
		Map<String, String> environment = new HashMap<>();
		// a database that is never reached: the bad setting must stop startup before
		environment.put("VITRINE_DB_URL", "jdbc:postgresql://127.0.0.1:1/never-reached");
		environment.put(variable, value);
		try (AppProcess app = AppProcess.startBuiltJar("invalid-" + variable, environment)) {
			int exit = app.awaitExit(Duration.ofSeconds(90));

			assertThat(exit).isNotZero();
			assertThat(app.lines()).anySatisfy((line) -> assertThat(line).contains(message));
			assertThat(app.output()).contains(variable);
			// before it opened a port, and with no other error first
			assertThat(app.output()).doesNotContain("Tomcat").doesNotContain("Exception");
		}
	}

	@Test
	void aDatabaseThatDoesNotAnswerStopsAWorkerNamingTheSettingWithoutAStackTrace() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		Map<String, String> environment = Map.of("VITRINE_ROLES", "worker", "VITRINE_DB_URL",
				"jdbc:postgresql://127.0.0.1:" + closed + "/vitrine");
		try (AppProcess app = AppProcess.startBuiltJar("unreachable-database", environment)) {
			int exit = app.awaitExit(Duration.ofSeconds(90));

			assertThat(exit).isNotZero();
			assertThat(app.output()).contains("Could not connect to the database: Connection to 127.0.0.1:" + closed)
				.contains("Check the host and port in VITRINE_DB_URL")
				.doesNotContain("Application run failed")
				.doesNotContain("\tat org.");
		}
	}

}
