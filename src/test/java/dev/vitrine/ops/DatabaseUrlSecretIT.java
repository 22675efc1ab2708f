package dev.vitrine.ops;

import java.time.Duration;
import java.util.Map;

import dev.vitrine.support.AppProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code postgres://} URL the jar cannot use stops it with a message naming the
 * setting, and the password in it is never printed: logs are read by more people than the
 * settings are.
 */
class DatabaseUrlSecretIT {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					postgres://vitrine:Hunter2^Secret@127.0.0.1:1/vitrine  | Hunter2^Secret | not a valid URL (Illegal character in authority at character
					postgres://vitrine:Hunter2/Secret@127.0.0.1:1/vitrine  | Hunter2/Secret | the host cannot be told from the user and password; percent-encode
					postgres://vitrine:Hunter2?Secret@127.0.0.1:1/vitrine  | Hunter2?Secret | the host cannot be told from the user and password; percent-encode
					postgres://vitrine:Hunter@2/Secret@127.0.0.1:1/vitrine | Hunter@2/Secret | the host cannot be told from the user and password; percent-encode
					mysql://vitrine:Hunter2Secret@127.0.0.1:1/vitrine      | Hunter2Secret  | must be a PostgreSQL URL
					""")
	void aMalformedUrlNamesTheSettingAndNeverPrintsItsPassword(String url, String password, String message) {
		try (AppProcess app = AppProcess.startBuiltJar("db-url-secret", Map.of("VITRINE_DB_URL", url))) {
			int exit = app.awaitExit(Duration.ofMinutes(4));

			assertThat(exit).isNotZero();
			assertThat(app.output()).contains("Invalid VITRINE_DB_URL (vitrine.db.url)").contains(message);
			// before it opened a port, and with no other error first
			assertThat(app.output()).doesNotContain("Tomcat").doesNotContain("Exception");
			// nor a part of it
			assertThat(app.output()).doesNotContain(password).doesNotContain("Hunter").doesNotContain("Secret");
		}
	}

}
