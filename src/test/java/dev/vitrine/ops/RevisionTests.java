package dev.vitrine.ops;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RevisionTests {

	@Test
	void unsetRevisionIsUnknown() {
		assertThat(Revision.from(new MockEnvironment()).value()).isEqualTo("unknown");
	}

	@Test
	void commitShaIsAccepted() {
		MockEnvironment environment = new MockEnvironment().withProperty("vitrine.revision",
				" 3f9c2e1d0b8a7f6e5d4c3b2a19081726354a6b7c ");
		assertThat(Revision.from(environment).value()).isEqualTo("3f9c2e1d0b8a7f6e5d4c3b2a19081726354a6b7c");
	}

	@Test
	void revisionWithSpacesOrSlashesStopsStartupNamingTheVariable() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Revision.from(new MockEnvironment().withProperty("vitrine.revision", "main/abc def")))
			.withMessageContaining("VITRINE_REVISION")
			.withMessageContaining("'main/abc def' is not a revision");
	}

}
