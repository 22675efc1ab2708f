package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class JobsHealthTests {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private static final Duration ALLOWED = Duration.ofSeconds(15);

	@Test
	void justStartedRoleIsReadyBeforeItsFirstPoll() {
		assertThat(status(NOW.minusSeconds(1), null)).isEqualTo(Status.UP);
	}

	@Test
	void roleThatNeverPolledSinceStartingLongAgoIsDown() {
		assertThat(status(NOW.minusSeconds(16), null)).isEqualTo(Status.DOWN);
	}

	@Test
	void recentPollKeepsRoleUpAndStalePollTakesItDown() {
		assertThat(status(NOW.minusSeconds(600), NOW.minusSeconds(14))).isEqualTo(Status.UP);
		assertThat(status(NOW.minusSeconds(600), NOW.minusSeconds(16))).isEqualTo(Status.DOWN);
	}

	@Test
	void roleThatNeverStartedIsDown() {
		assertThat(status(null, null)).isEqualTo(Status.DOWN);
	}

	@Test
	void schedulerMayMissTenTicksButNoLessThanFifteenSeconds() {
		assertThat(JobsHealth.schedulerAllowance(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(15));
		assertThat(JobsHealth.schedulerAllowance(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(30));
	}

	private static Status status(Instant startedAt, Instant lastPoll) {
		return JobsHealth.builder(startedAt, lastPoll, ALLOWED, NOW).build().getStatus();
	}

}
