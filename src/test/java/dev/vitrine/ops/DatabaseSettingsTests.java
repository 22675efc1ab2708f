package dev.vitrine.ops;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A bad database setting stops startup with a message naming the variable and what would
 * be valid; good ones pass unchanged.
 */
class DatabaseSettingsTests {

	@Test
	void acceptsJdbcAndPostgresUrlsAndNoUrlAtAll() {
		assertThat(settings("jdbc:postgresql://db:5432/vitrine", 10, Duration.ofSeconds(5)).isExternal()).isTrue();
		assertThat(settings("postgres://u:p@db/vitrine", 10, Duration.ofSeconds(5)).externalTarget().jdbcUrl())
			.isEqualTo("jdbc:postgresql://db/vitrine");
		assertThat(settings(null, 10, Duration.ofSeconds(5)).isExternal()).isFalse();
	}

	@Test
	void refusesAnotherDatabasesUrl() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings("mysql://db/x", 10, Duration.ofSeconds(5)))
			.withMessageStartingWith("Invalid VITRINE_DB_URL (vitrine.db.url): must be a PostgreSQL URL");
	}

	@Test
	void refusesAPoolOutsideOneTo500AndATimeoutUnder250ms() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(null, 0, Duration.ofSeconds(5)))
			.withMessage("Invalid VITRINE_DB_POOL_SIZE (vitrine.db.pool-size): 0 is not a number from 1 to 500");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(null, 501, Duration.ofSeconds(5)));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(null, 10, Duration.ofMillis(100)))
			.withMessage(
					"Invalid VITRINE_DB_CONNECTION_TIMEOUT (vitrine.db.connection-timeout): must be at least 250ms");
	}

	private static DatabaseSettings settings(String url, int poolSize, Duration timeout) {
		return new DatabaseSettings(url, null, null, poolSize, timeout, 0);
	}

}
