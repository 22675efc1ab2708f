package dev.vitrine.admin;

import dev.vitrine.ops.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The first-start owner account: optional, but never with a weak password. */
class AdminSettingsTests {

	@Test
	void bothEmptyMeansTheSetupLinkInstead() {
		assertThat(new AdminSettings(null, null).isComplete()).isFalse();
		assertThat(new AdminSettings("ada@example.org", "long-enough-1").isComplete()).isTrue();
	}

	@Test
	void oneOfTheTwoWithoutTheOtherIsSaidToMakeNoAccountNamingTheMissingOne() {
		assertThat(new AdminSettings("ada@example.org", null).halfGiven())
			.hasValueSatisfying((message) -> assertThat(message)
				.startsWith("VITRINE_ADMIN_EMAIL is set but VITRINE_ADMIN_PASSWORD is not")
				.contains("set VITRINE_ADMIN_PASSWORD too, or use the setup link"));
		assertThat(new AdminSettings(" ", "long-enough-1").halfGiven())
			.hasValueSatisfying((message) -> assertThat(message)
				.startsWith("VITRINE_ADMIN_PASSWORD is set but VITRINE_ADMIN_EMAIL is not"));
		assertThat(new AdminSettings(null, null).halfGiven()).isEmpty();
		assertThat(new AdminSettings("ada@example.org", "long-enough-1").halfGiven()).isEmpty();
	}

	@Test
	void refusesAShortPasswordAndAnAddressWithoutAt() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new AdminSettings("ada@example.org", "short"))
			.withMessage("Invalid VITRINE_ADMIN_PASSWORD (vitrine.admin.password): must be at least 10 characters");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new AdminSettings("ada.example.org", "long-enough-1"))
			.withMessageContaining("VITRINE_ADMIN_EMAIL");
	}

	@Test
	void refusesAPasswordLongerThanBcryptHashesCountingItsBytes() {
		for (String tooLong : new String[] { "a".repeat(87), "é".repeat(37) }) {
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> new AdminSettings("ada@example.org", tooLong))
				.withMessageStartingWith(
						"Invalid VITRINE_ADMIN_PASSWORD (vitrine.admin.password): must be at most 72 bytes");
		}
		assertThat(new AdminSettings("ada@example.org", "a".repeat(72)).isComplete()).isTrue();
		assertThat(new AdminSettings("ada@example.org", "é".repeat(36)).isComplete()).isTrue();
	}

}
