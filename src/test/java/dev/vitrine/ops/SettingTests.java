package dev.vitrine.ops;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A setting is named once, by its property: the environment variable a message names is
 * derived from it, and is one Spring Boot really reads the property from.
 */
class SettingTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "vitrine.jobs.prefetch, VITRINE_JOBS_PREFETCH",
			"vitrine.jobs.missed-heartbeats, VITRINE_JOBS_MISSED_HEARTBEATS", "vitrine.log-format, VITRINE_LOG_FORMAT",
			"vitrine.security.max-owner-form-size, VITRINE_SECURITY_MAX_OWNER_FORM_SIZE" })
	void theEnvironmentVariableIsTheOneSpringBootBindsThePropertyFrom(String property, String envVar) {
		Setting setting = Setting.of(property);
		assertThat(setting.envVar()).isEqualTo(envVar);

		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(
					new SystemEnvironmentPropertySource("test-env", Map.of(setting.envVar(), "from the environment")));
		Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));
		assertThat(binder.bind(property, String.class).orElse(null)).isEqualTo("from the environment");
	}

	@Test
	void aRefusedValueNamesTheVariableThePropertyAndTheFix() {
		InvalidSettingException refused = Setting.of("vitrine.jobs.prefetch")
			.invalid("-1 is not a number from 0 to 10000");
		assertThat(refused)
			.hasMessage("Invalid VITRINE_JOBS_PREFETCH (vitrine.jobs.prefetch): -1 is not a number from 0 to 10000");

		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(new IllegalStateException(refused));
		assertThat(analysis.getDescription()).isEqualTo(refused.getMessage());
		assertThat(analysis.getAction())
			.isEqualTo("Set VITRINE_JOBS_PREFETCH (or vitrine.jobs.prefetch) to a valid value and start again.");
	}

	@Test
	void refusesAnEnvironmentVariableWhereAPropertyBelongs() {
		assertThatIllegalArgumentException().isThrownBy(() -> Setting.of("VITRINE_JOBS_PREFETCH"))
			.withMessageContaining("not a property name");
	}

}
