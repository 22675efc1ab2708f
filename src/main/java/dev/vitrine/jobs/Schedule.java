package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
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

	/**
	 * The longest interval (a rarer schedule is a cron expression): an unbounded one put
	 * fire times beyond what PostgreSQL stores.
	 */
	public static final Duration MAX_INTERVAL = Duration.ofDays(366);

	public Schedule {
		Objects.requireNonNull(zone, "zone");
		if ((cron == null) == (interval == null)) {
			throw new IllegalArgumentException("a schedule has either a cron expression or an interval");
		}
		if (cron != null && !CronExpression.isValidExpression(cron)) {
			throw new IllegalArgumentException(
					"not a valid cron expression (second minute hour day month weekday): " + cron);
		}
		if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("an interval must be at least 1 s: " + interval);
		}
	}

	public static Schedule cron(String expression, ZoneId zone) {
		return new Schedule(expression, null, zone);
	}

	/**
	 * A schedule of a fixed interval, as code or the monitor gives one: at most
	 * {@link #MAX_INTERVAL}. (A longer one stored by an older release is still read: its
	 * schedule keeps firing, and the monitor shows it.)
	 */
	public static Schedule every(Duration interval) {
		if (interval != null && interval.compareTo(MAX_INTERVAL) > 0) {
			throw new IllegalArgumentException("an interval must be at most " + MAX_INTERVAL.toDays()
					+ " days (a rarer schedule is a cron expression): " + interval);
		}
		return new Schedule(null, interval, ZoneId.of("UTC"));
	}

	/**
	 * The first fire time strictly after {@code after}. Cron times are matched in local
	 * time and then placed on the timeline, following the zone's daylight saving changes:
	 * <ul>
	 * <li>a local time in a spring-forward gap fires just after the gap (as
	 * {@link ZonedDateTime#ofLocal} places it);</li>
	 * <li>a local time that a fall-back overlap repeats fires at its first occurrence,
	 * and at its second too when the expression also matches the same time one overlap
	 * earlier: so a schedule that fires every few minutes keeps firing every few minutes
	 * of real time through the repeated hour, while a daily one fires once.</li>
	 * </ul>
	 * (Spring's {@code CronExpression} on zoned times would skip the first occurrence and
	 * fire on the second.)
	 */
	public Instant nextAfter(Instant after) {
		if (this.interval != null) {
			return after.plus(this.interval);
		}
		CronExpression expression = CronExpression.parse(this.cron);
		LocalDateTime local = after.atZone(this.zone).toLocalDateTime();
		ZoneOffsetTransition overlap = overlapAround(after);
		if (overlap != null && overlap.getDateTimeAfter().isBefore(local)) {
			// the repeated local times lie behind `after` in local time but ahead of it
			// on the timeline: look at them again
			local = overlap.getDateTimeAfter().minusNanos(1);
		}
		Instant best = null;
		for (int i = 0; i < 100_000; i++) {
			LocalDateTime next = expression.next(local);
			if (next == null) {
				break;
			}
			ZonedDateTime first = ZonedDateTime.ofLocal(next, this.zone, null);
			if (best != null && !first.toInstant().isBefore(best)) {
				return best;
			}
			best = earliestAfter(after, best, first.toInstant());
			ZonedDateTime second = first.withLaterOffsetAtOverlap();
			if (!second.equals(first) && repeatsAcross(expression, next, overlap)) {
				best = earliestAfter(after, best, second.toInstant());
			}
			local = next;
		}
		if (best != null) {
			return best;
		}
		throw new IllegalStateException("cron expression " + this.cron + " never fires again");
	}

	/** The fall-back transition within one overlap of {@code instant}, if any. */
	private ZoneOffsetTransition overlapAround(Instant instant) {
		ZoneOffsetTransition transition = this.zone.getRules().nextTransition(instant.minus(Duration.ofHours(3)));
		if (transition == null || !transition.isOverlap()) {
			return null;
		}
		Duration length = transition.getDuration().abs();
		boolean near = !instant.isBefore(transition.getInstant().minus(length))
				&& instant.isBefore(transition.getInstant().plus(length));
		return near ? transition : null;
	}

	/** Whether the expression also matches {@code local} minus the overlap's length. */
	private static boolean repeatsAcross(CronExpression expression, LocalDateTime local, ZoneOffsetTransition overlap) {
		if (overlap == null) {
			return false;
		}
		LocalDateTime earlier = local.minus(overlap.getDuration().abs());
		return earlier.equals(expression.next(earlier.minusNanos(1)));
	}

	private static Instant earliestAfter(Instant after, Instant best, Instant candidate) {
		if (!candidate.isAfter(after)) {
			return best;
		}
		return (best == null || candidate.isBefore(best)) ? candidate : best;
	}

	/** Human-readable, for the monitor and logs. */
	public String describe() {
		return (this.cron != null) ? this.cron + " (" + this.zone + ")" : "every " + this.interval.toSeconds() + " s";
	}

}
