package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private final Schedule nightly = Schedule.cron("0 30 2 * * *", BERLIN);

	@Test
	void cronFiresAtLocalTimeInItsZone() {
		Instant next = this.nightly.nextAfter(berlin("2026-06-10T12:00"));

		assertThat(next).isEqualTo(berlin("2026-06-11T02:30"));
		assertThat(next).isEqualTo(Instant.parse("2026-06-11T00:30:00Z"));
	}

	@Test
	void localTimeSkippedBySpringForwardFiresOnceJustAfterTheGap() {
		// 2026-03-29: clocks jump from 02:00 to 03:00 in Berlin; 02:30 does not exist
		Instant first = this.nightly.nextAfter(berlin("2026-03-28T12:00"));
		Instant second = this.nightly.nextAfter(first);

		assertThat(first).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
		assertThat(first.atZone(BERLIN).toLocalTime()).hasToString("03:30");
		assertThat(second).isEqualTo(berlin("2026-03-30T02:30"));
	}

	@Test
	void localTimeRepeatedByFallBackFiresOnce() {
		// 2026-10-25: clocks go back from 03:00 to 02:00 in Berlin; 02:30 happens twice
		Instant first = this.nightly.nextAfter(berlin("2026-10-25T00:00"));
		Instant second = this.nightly.nextAfter(first);

		assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
		assertThat(second).isEqualTo(berlin("2026-10-26T02:30"));
		assertThat(Duration.between(first, second)).isEqualTo(Duration.ofHours(25));
	}

	@Test
	void fixedIntervalCountsFromThePreviousFireTime() {
		Schedule every = Schedule.every(Duration.ofSeconds(90));

		assertThat(every.nextAfter(Instant.parse("2026-01-01T00:00:00Z")))
			.isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
	}

	@Test
	void invalidSchedulesAreRejectedWithTheReason() {
		assertThatThrownBy(() -> Schedule.cron("every night", BERLIN)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("not a valid cron expression");
		assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least 1 s");
		assertThatThrownBy(() -> new Schedule("0 * * * * *", Duration.ofSeconds(5), BERLIN))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private static Instant berlin(String localDateTime) {
		return ZonedDateTime.of(LocalDateTime.parse(localDateTime), BERLIN).toInstant();
	}

}
