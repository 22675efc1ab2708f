package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A stored schedule and how it last went.
 *
 * @param status whether it fires
 * @param lastJob the job it last enqueued, null if it never fired
 * @param lastOutcome the outcome of that job's latest attempt, empty if it has not run
 * yet (or never fired)
 */
public record ScheduleView(String name, String jobType, Schedule schedule, Status status,
		ScheduleDefinition.Misfire misfire, Duration misfireGrace, Instant nextFireAt, Instant lastFireAt,
		JobId lastJob, Optional<AttemptOutcome> lastOutcome) {

	/** Whether every scheduler whose code defines it fires it. */
	public boolean enabled() {
		return this.status == Status.ENABLED;
	}

	/**
	 * Whether any scheduler fires it: also one {@link Status#MISSING_FROM_CODE}, which
	 * only an operator's disabling stops everywhere.
	 */
	public boolean fires() {
		return this.status != Status.DISABLED;
	}

	/** Whether a schedule fires, and why not. */
	public enum Status {

		/** Fired by every scheduler whose code defines it. */
		ENABLED,

		/** Disabled by an operator: fired by none. */
		DISABLED,

		/**
		 * Disabled by the start of a process whose code lacks it: fired only by
		 * schedulers whose code defines it, and enabled again when such a process starts.
		 */
		MISSING_FROM_CODE

	}

}
