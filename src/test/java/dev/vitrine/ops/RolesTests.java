package dev.vitrine.ops;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolesTests {

	@Test
	void commaListIsReadIgnoringCaseAndSpaces() {
		Roles roles = Roles.parse(" Worker , scheduler");

		assertThat(roles.active()).containsExactlyInAnyOrder(Role.WORKER, Role.SCHEDULER);
		assertThat(roles.servesPages()).isFalse();
		assertThat(roles).hasToString("worker,scheduler");
	}

	@Test
	void allMeansEveryRole() {
		assertThat(Roles.parse("all").active()).isEqualTo(EnumSet.allOf(Role.class));
	}

	@Test
	void monitorAloneServesPages() {
		assertThat(Roles.parse("monitor").servesPages()).isTrue();
	}

	@Test
	void unknownRoleIsRejectedNamingTheSettingAndTheValidValues() {
		assertThatThrownBy(() -> Roles.parse("web,wroker")).isInstanceOf(InvalidSettingException.class)
			.hasMessage("Invalid VITRINE_ROLES (vitrine.roles): unknown role 'wroker';"
					+ " valid values: a comma list of web, worker, scheduler, monitor, or all");
	}

	@Test
	void emptyListIsRejected() {
		assertThatThrownBy(() -> Roles.parse(" , ")).isInstanceOf(InvalidSettingException.class)
			.hasMessageContaining("VITRINE_ROLES")
			.hasMessageContaining("no role given");
	}

}
