package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule fires: a cron expression in a time zone, or a fixed interval. Cron fire
 * times are computed with {@code java.time} in the schedule's zone, so they follow its
 * daylight saving changes: a local time that does not exist that day (spring forward)
 * fires at the first instant after the gap, and one that exists twice (fall back) fires
 * once.
 *
 * @param cron a Spring cron expression ({@code second minute hour day month weekday}), or
 * null
 * @param interval a fixed interval, or null
 * @param zone the zone the cron expression is read in
 */
public record Schedule(String cron, Duration interval, ZoneId zone) {

	public Schedule {
		Objects.requireNonNull(zone, "zone");
		if ((cron == null) == (interval == null)) {
			throw new IllegalArgumentException("a schedule has either a cron expression or an interval");
		}
		if (cron != null && !CronExpression.isValidExpression(cron)) {
			throw new IllegalArgumentException(
					"not a valid cron expression (second minute hour day month weekday): " + cron);
		}
		if (interval != null && (interval.isNegative() || interval.toMillis() < 1000)) {
			throw new IllegalArgumentException("an interval must be at least 1 s: " + interval);
		}
	}

	public static Schedule cron(String expression, ZoneId zone) {
		return new Schedule(expression, null, zone);
	}

	public static Schedule every(Duration interval) {
		return new Schedule(null, interval, ZoneId.of("UTC"));
	}

	/**
	 * The first fire time strictly after {@code after}. Cron times are matched in local
	 * time and then placed on the timeline: a time in a spring-forward gap moves to just
	 * after the gap (as {@link ZonedDateTime#ofLocal} does), a time in a fall-back
	 * overlap takes its first occurrence, and its second occurrence is never a new fire
	 * time. (Spring's {@code CronExpression} on zoned times would skip the first and fire
	 * twice on the second.)
	 */
	public Instant nextAfter(Instant after) {
		if (this.interval != null) {
			return after.plus(this.interval);
		}
		CronExpression expression = CronExpression.parse(this.cron);
		LocalDateTime local = after.atZone(this.zone).toLocalDateTime();
		for (int i = 0; i < 10_000; i++) {
			LocalDateTime next = expression.next(local);
			if (next == null) {
				break;
			}
			Instant candidate = ZonedDateTime.ofLocal(next, this.zone, null).toInstant();
			if (candidate.isAfter(after)) {
				return candidate;
			}
			local = next;
		}
		throw new IllegalStateException("cron expression " + this.cron + " never fires again");
	}

	/** Human-readable, for the monitor and logs. */
	public String describe() {
		return (this.cron != null) ? this.cron + " (" + this.zone + ")" : "every " + this.interval.toSeconds() + " s";
	}

}
