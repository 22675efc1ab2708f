package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

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
	void everyFiveMinutesKeepsFiringEveryFiveMinutesOfRealTimeAcrossFallBack() {
		// 2026-10-25 in Berlin: 02:00-02:59 happens twice, at +02:00, then at +01:00
		Schedule everyFive = Schedule.cron("0 */5 * * * *", BERLIN);
		Instant from = Instant.parse("2026-10-24T23:00:00Z");
		Instant until = Instant.parse("2026-10-25T03:00:00Z");

		List<Instant> fires = new ArrayList<>();
		for (Instant at = everyFive.nextAfter(from); at.isBefore(until); at = everyFive.nextAfter(at)) {
			fires.add(at);
		}

		assertThat(fires).hasSize(4 * 12 - 1);
		for (int i = 1; i < fires.size(); i++) {
			assertThat(Duration.between(fires.get(i - 1), fires.get(i))).as("gap before %s", fires.get(i))
				.isEqualTo(Duration.ofMinutes(5));
		}
		// both 02:05s: the first at 00:05Z, the repeated one an hour later
		assertThat(fires).contains(Instant.parse("2026-10-25T00:05:00Z"), Instant.parse("2026-10-25T01:05:00Z"));
	}

	@Test
	void everyFiveMinutesStartedInsideTheRepeatedHourContinuesThere() {
		Schedule everyFive = Schedule.cron("0 */5 * * * *", BERLIN);

		// 02:55 at +02:00, then the repeated 02:00 at +01:00
		assertThat(everyFive.nextAfter(Instant.parse("2026-10-25T00:55:00Z")))
			.isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
		// 02:05 at +01:00 (the second time), then 02:10 at +01:00
		assertThat(everyFive.nextAfter(Instant.parse("2026-10-25T01:05:00Z")))
			.isEqualTo(Instant.parse("2026-10-25T01:10:00Z"));
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
