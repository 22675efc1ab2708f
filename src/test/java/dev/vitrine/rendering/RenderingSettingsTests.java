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

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);

	private static final DataSize MEMORY_LIMIT = DataSize.ofGigabytes(1);

	@Test
	void acceptsTheDefaults() {
		assertThat(settings(DEADLINE, LAUNCH_TIMEOUT, MEMORY_LIMIT).launchTimeout()).isEqualTo(LAUNCH_TIMEOUT);
	}

	@Test
	void acceptsTheLeastOfEach() {
		assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(1), DataSize.ofMegabytes(128)).memoryLimit())
			.isEqualTo(DataSize.ofMegabytes(128));
	}

	@Test
	void refusesALaunchTimeoutThatNoBrowserCouldMeet() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, Duration.ZERO, MEMORY_LIMIT))
			.withMessage("Invalid VITRINE_RENDERING_LAUNCH_TIMEOUT (vitrine.rendering.launch-timeout): "
					+ "PT0S is not a duration of at least 1s such as 30s");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, Duration.ofSeconds(-1), MEMORY_LIMIT))
			.withMessageContaining("VITRINE_RENDERING_LAUNCH_TIMEOUT");
		// a unit slip: 500 ms where 500 s was meant
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, Duration.ofMillis(500), MEMORY_LIMIT))
			.withMessageContaining("VITRINE_RENDERING_LAUNCH_TIMEOUT")
			.withMessageContaining("PT0.5S");
	}

	@Test
	void refusesADeadlineNoRenderCouldMeet() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ofMillis(1), LAUNCH_TIMEOUT, MEMORY_LIMIT))
			.withMessage("Invalid VITRINE_RENDERING_DEADLINE (vitrine.rendering.deadline): "
					+ "PT0.001S is not a duration of at least 1s such as 20s");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ZERO, LAUNCH_TIMEOUT, MEMORY_LIMIT))
			.withMessageContaining("VITRINE_RENDERING_DEADLINE");
	}

	@Test
	void refusesADeadlineOrLaunchTimeoutTheRenderJobWouldNotWaitFor() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ofMinutes(2), LAUNCH_TIMEOUT, MEMORY_LIMIT))
			.withMessage("Invalid VITRINE_RENDERING_DEADLINE (vitrine.rendering.deadline): "
					+ "PT2M is not below the render jobs' timeout of 2 minutes");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, Duration.ofMinutes(5), MEMORY_LIMIT))
			.withMessage("Invalid VITRINE_RENDERING_LAUNCH_TIMEOUT (vitrine.rendering.launch-timeout): "
					+ "PT5M is not below the render jobs' timeout of 2 minutes");
		// each below it, but a render may launch the browser and then take its deadline
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(Duration.ofSeconds(70), Duration.ofSeconds(50), MEMORY_LIMIT))
			.withMessage("Invalid VITRINE_RENDERING_DEADLINE (vitrine.rendering.deadline): "
					+ "PT1M10S plus VITRINE_RENDERING_LAUNCH_TIMEOUT's PT50S is not below the render jobs' "
					+ "timeout of 2 minutes (a render may launch the browser first)");
	}

	@Test
	void refusesAMemoryLimitThatWouldRelaunchTheBrowserAfterEveryRender() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, LAUNCH_TIMEOUT, DataSize.ofBytes(0)))
			.withMessageContaining("VITRINE_RENDERING_MEMORY_LIMIT");
		// a number alone is bytes, as VITRINE_RENDERING_MEMORY_LIMIT=512 binds
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, LAUNCH_TIMEOUT, DataSize.parse("512")))
			.withMessage("Invalid VITRINE_RENDERING_MEMORY_LIMIT (vitrine.rendering.memory-limit): "
					+ "512B is below 128MB (a number alone is bytes): give a size such as 1GB");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings(DEADLINE, LAUNCH_TIMEOUT, DataSize.ofMegabytes(100)))
			.withMessageContaining("VITRINE_RENDERING_MEMORY_LIMIT");
	}

	private static RenderingSettings settings(Duration deadline, Duration launchTimeout, DataSize memoryLimit) {
		return new RenderingSettings("", deadline, 0, 500, memoryLimit, launchTimeout, Duration.ofSeconds(60));
	}

}
