package dev.vitrine.admin;

import java.time.Duration;

import dev.vitrine.ops.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code VITRINE_SECURITY_HSTS_MAX_AGE}: a negative value used to reach Spring Security,
 * whose refusal stopped startup without naming the setting.
 */
class HstsMaxAgeTests {

	@Test
	void aNegativeMaxAgeStopsStartupNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SecurityConfiguration.checkedHstsMaxAge(Duration.ofDays(-1)))
			.withMessageContaining("Invalid VITRINE_SECURITY_HSTS_MAX_AGE (vitrine.security.hsts-max-age)")
			.withMessageContaining("or 0 to send no header");
	}

	@Test
	void zeroAndPositiveMaxAgesAreTaken() {
		assertThat(SecurityConfiguration.checkedHstsMaxAge(Duration.ZERO)).isZero();
		assertThat(SecurityConfiguration.checkedHstsMaxAge(Duration.ofDays(365))).isEqualTo(Duration.ofDays(365));
	}

}
