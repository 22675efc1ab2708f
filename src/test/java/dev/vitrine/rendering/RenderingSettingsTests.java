package dev.vitrine.rendering;

import java.time.Duration;

import dev.vitrine.ops.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rendering settings that would make every render fail stop startup with the variable's
 * name.
 */
class RenderingSettingsTests {

	@Test
	void acceptsTheDefaults() {
		assertThat(settings(Duration.ofSeconds(30), DataSize.ofGigabytes(1)).launchTimeout())
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void refusesALaunchTimeoutThatNoBrowserCouldMeet() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ZERO, DataSize.ofGigabytes(1)))
			.withMessage("Invalid VITRINE_RENDERING_LAUNCH_TIMEOUT (vitrine.rendering.launch-timeout): "
					+ "PT0S is not a positive duration such as 30s");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ofSeconds(-1), DataSize.ofGigabytes(1)))
			.withMessageContaining("VITRINE_RENDERING_LAUNCH_TIMEOUT");
	}

	@Test
	void refusesAMemoryLimitThatWouldRelaunchTheBrowserAfterEveryRender() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ofSeconds(30), DataSize.ofBytes(0)))
			.withMessageContaining("VITRINE_RENDERING_MEMORY_LIMIT");
	}

	private static RenderingSettings settings(Duration launchTimeout, DataSize memoryLimit) {
		return new RenderingSettings("", Duration.ofSeconds(20), 0, 500, memoryLimit, launchTimeout,
				Duration.ofSeconds(60));
	}

}
