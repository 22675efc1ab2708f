package dev.vitrine.jobs;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Objects;

/**
 * A schedule as code defines it: declare one as a bean. At startup it is stored once;
 * from then on the stored schedule (which operators may edit) is what fires.
 *
 * @param name stable identifier, e.g. {@code rendering.nightly-refresh}
 * @param type the job type to enqueue at each fire time
 * @param payload the payload of each job
 * @param schedule when it fires
 * @param misfire what happens to fire times missed while no scheduler ran
 * @param misfireGrace with {@link Misfire#RUN_ONCE}: how late the latest missed fire time
 * may be and still run, up to {@link #MAX_MISFIRE_GRACE}
 * @param <P> the payload type
 */
public record ScheduleDefinition<P>(String name, JobType<P> type, P payload, Schedule schedule, Misfire misfire,
		Duration misfireGrace) {

	/**
	 * The longest grace: a whole period of a monthly schedule. Longer is of no use, and
	 * an unbounded grace overflowed the milliseconds it is stored as.
	 */
	public static final Duration MAX_MISFIRE_GRACE = Duration.ofDays(31);

	public ScheduleDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(schedule, "schedule");
		Objects.requireNonNull(misfire, "misfire");
		requireGrace(misfireGrace);
	}

	/**
	 * @throws IllegalArgumentException unless the grace is from zero to
	 * {@link #MAX_MISFIRE_GRACE}
	 */
	static Duration requireGrace(Duration misfireGrace) {
		Objects.requireNonNull(misfireGrace, "misfireGrace");
		if (misfireGrace.isNegative() || misfireGrace.compareTo(MAX_MISFIRE_GRACE) > 0) {
			throw new IllegalArgumentException(
					"a misfire grace must be from 0 to " + MAX_MISFIRE_GRACE.toDays() + " days: " + misfireGrace);
		}
		return misfireGrace;
	}

	/** A schedule that skips missed fire times. */
	public static <P> ScheduleDefinition<P> of(String name, JobType<P> type, P payload, Schedule schedule) {
		return new ScheduleDefinition<>(name, type, payload, schedule, Misfire.SKIP, Duration.ZERO);
	}

	public enum Misfire {

		/** Fire times missed by more than a few seconds are skipped. */
		SKIP("skip"),

		/**
		 * Missed fire times run once, if the latest is late by at most the grace period.
		 */
		RUN_ONCE("run-once");

		private final String label;

		Misfire(String label) {
			this.label = label;
		}

		/** How forms and the database name it: {@code skip} or {@code run-once}. */
		public String label() {
			return this.label;
		}

		/** The policy with this label, if any. */
		public static Optional<Misfire> parse(String label) {
			return Arrays.stream(values()).filter((misfire) -> misfire.label.equals(label)).findFirst();
		}

		static Misfire fromStored(String stored) {
			return parse(stored).orElse(SKIP);
		}

	}

}
