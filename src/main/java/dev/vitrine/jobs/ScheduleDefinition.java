package dev.vitrine.jobs;

import java.time.Duration;
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
 * may be and still run
 * @param <P> the payload type
 */
public record ScheduleDefinition<P>(String name, JobType<P> type, P payload, Schedule schedule, Misfire misfire,
		Duration misfireGrace) {

	public ScheduleDefinition {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(schedule, "schedule");
		Objects.requireNonNull(misfire, "misfire");
		Objects.requireNonNull(misfireGrace, "misfireGrace");
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

		private final String stored;

		Misfire(String stored) {
			this.stored = stored;
		}

		String stored() {
			return this.stored;
		}

		static Misfire fromStored(String stored) {
			return "run-once".equals(stored) ? RUN_ONCE : SKIP;
		}

	}

}
