package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * A stored schedule and how it last went.
 *
 * @param lastOutcome the outcome of the last fired job's latest attempt
 * ({@code succeeded}, {@code failed}, {@code cancelled}), {@code pending} if it has not
 * run yet, null if never fired
 */
public record ScheduleView(String name, String jobType, Schedule schedule, boolean enabled,
		ScheduleDefinition.Misfire misfire, Duration misfireGrace, Instant nextFireAt, Instant lastFireAt,
		JobId lastJob, String lastOutcome) {
}
