package dev.vitrine.rendering;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser's path from the environment, as a worker reads it; and
 * {@code VITRINE_CHROMIUM_PATH}, the name the README gave it while nothing read it, named
 * in a warning rather than silently ignored.
 */
class ChromiumPathSettingTests {

	@Test
	void theSettingsOwnVariableSetsThePath() throws IOException {
		assertThat(
				bound(environment(Map.of("VITRINE_RENDERING_CHROMIUM_PATH", "/opt/chromium/chrome"))).configuredPath())
			.isEqualTo(Path.of("/opt/chromium/chrome"));
	}

	@Test
	void withoutItTheBrowserIsLookedForOnThePath() throws IOException {
		assertThat(bound(environment(Map.of())).configuredPath()).isNull();
		assertThat(RenderingConfiguration.misnamedPathWarning(environment(Map.of()))).isEmpty();
	}

	@Test
	void theNameTheReadmeGaveByMistakeIsNamedInAWarningWithTheRightOne() throws IOException {
		StandardEnvironment environment = environment(Map.of("VITRINE_CHROMIUM_PATH", "/opt/old/chrome"));

		assertThat(bound(environment).configuredPath()).isNull();
		assertThat(RenderingConfiguration.misnamedPathWarning(environment)).hasValue(
				"VITRINE_CHROMIUM_PATH=/opt/old/chrome is not read: the browser's path is VITRINE_RENDERING_CHROMIUM_PATH"
						+ " (vitrine.rendering.chromium-path), which is not set: the worker looks for chromium, then"
						+ " chromium-headless-shell, on its PATH");
	}

	@Test
	void theWarningSaysWhichPathIsUsedWhenBothAreSet() throws IOException {
		StandardEnvironment environment = environment(Map.of("VITRINE_CHROMIUM_PATH", "/opt/old/chrome",
				"VITRINE_RENDERING_CHROMIUM_PATH", "/opt/chromium/chrome"));

		assertThat(RenderingConfiguration.misnamedPathWarning(environment))
			.hasValueSatisfying((warning) -> assertThat(warning).endsWith("which is set to /opt/chromium/chrome"));
	}

	/** As at startup: the variables first, then application.properties. */
	private static StandardEnvironment environment(Map<String, Object> variables) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					variables));
		environment.getPropertySources()
			.addLast(new ResourcePropertySource(new ClassPathResource("application.properties")));
		return environment;
	}

	private static RenderingSettings bound(StandardEnvironment environment) {
		return Binder.get(environment).bindOrCreate("vitrine.rendering", RenderingSettings.class);
	}

}
