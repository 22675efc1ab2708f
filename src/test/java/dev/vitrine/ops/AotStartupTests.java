package dev.vitrine.ops;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class AotStartupTests {

	private static final Map<String, String> WEB_IMAGE = Map.of("roles", "web", "database", "external");

	private final AotStartupEnvironmentPostProcessor startup = new AotStartupEnvironmentPostProcessor(
			new DeferredLogs());

	@AfterEach
	void forgetTheChoice() {
		SpringProperties.setProperty(AotStartupEnvironmentPostProcessor.AOT_ENABLED, null);
	}

	@Test
	void aWebProcessWithTheImageSettingsUsesTheGeneratedCode() {
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:postgresql://db/v",
				"vitrine.mail.host", "smtp.example.org"), WEB_IMAGE))
			.isTrue();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isTrue();
	}

	@Test
	void otherRolesOrSettingsStartAsUsual() {
		assertThat(
				this.startup.decide(environment("vitrine.roles", "web,monitor", "vitrine.db.url", "jdbc:x"), WEB_IMAGE))
			.isFalse();
		assertThat(this.startup.decide(environment("vitrine.roles", "web"), WEB_IMAGE)).as("embedded database")
			.isFalse();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isFalse();
	}

	@Test
	void settingsReadAsTheBeansAreMadeDoNotStopIt() {
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x",
				"vitrine.content.demo", "false", "vitrine.site.forwarded-headers", "true"), WEB_IMAGE))
			.isTrue();
	}

	@Test
	void mailDecidesForAWorkerOnly() {
		Map<String, String> worker = AotStartupEnvironmentPostProcessor
			.settingsOf(environment("vitrine.roles", "worker,scheduler", "vitrine.db.url", "jdbc:x"));
		assertThat(worker).containsEntry("mail", "off");
		assertThat(this.startup.decide(environment("vitrine.roles", "worker,scheduler", "vitrine.db.url", "jdbc:x",
				"vitrine.mail.host", "smtp.example.org"), worker))
			.isFalse();
	}

	@Test
	void aLaterApplicationWithoutGeneratedCodeDoesNotInheritTheChoice() {
		this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x"), WEB_IMAGE);
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x"), null))
			.isFalse();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isFalse();
	}

	private static StandardEnvironment environment(String... pairs) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> properties = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			properties.put(pairs[i], pairs[i + 1]);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
