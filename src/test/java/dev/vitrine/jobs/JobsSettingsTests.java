package dev.vitrine.jobs;

import java.time.Duration;

import dev.vitrine.ops.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Worker settings that would break leases or starve the worker stop startup with the
 * variable's name.
 */
class JobsSettingsTests {

	@Test
	void theLeaseIsHeartbeatTimesMissedHeartbeats() {
		assertThat(settings(8, 4, Duration.ofSeconds(3)).lease()).isEqualTo(Duration.ofSeconds(12));
	}

	@Test
	void refusesThreadsOutsideOneTo256AndFewerThanFourMissedHeartbeats() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings(0, 4, Duration.ofSeconds(3)))
			.withMessage("Invalid VITRINE_JOBS_THREADS (vitrine.jobs.threads): 0 is not a number from 1 to 256");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings(8, 3, Duration.ofSeconds(3)))
			.withMessageContaining("VITRINE_JOBS_MISSED_HEARTBEATS");
	}

	@Test
	void refusesAZeroOrMissingInterval() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings(8, 4, Duration.ZERO))
			.withMessageContaining("VITRINE_JOBS_HEARTBEAT_INTERVAL");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings(8, 4, null))
			.withMessageContaining("no duration given");
	}

	private static JobsSettings settings(int threads, int missedHeartbeats, Duration heartbeat) {
		return new JobsSettings(threads, Duration.ofSeconds(1), heartbeat, missedHeartbeats, Duration.ofSeconds(20),
				Duration.ofDays(14), Duration.ofMillis(250), Duration.ofMinutes(10), 256);
	}

}
