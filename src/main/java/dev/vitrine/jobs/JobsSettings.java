package dev.vitrine.jobs;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker process runs jobs ({@code VITRINE_JOBS_*}).
 *
 * @param threads jobs one worker process runs at once, all types together
 * @param pollInterval how often a worker looks for due jobs when no notification wakes it
 * @param heartbeatInterval how often a worker renews the lease on the jobs it runs
 * @param missedHeartbeats heartbeats missed before a job counts as abandoned and runs
 * again elsewhere; lease = heartbeat interval x missed heartbeats
 * @param shutdownGrace on SIGTERM, how long running jobs may take to finish before the
 * rest are released to other workers
 * @param historyRetention how long attempts are kept in the history
 * @param scheduleTick how often a scheduler process looks for due schedules
 * @param unknownTypeGrace how long a job whose type no worker knows waits before it fails
 * (long enough for a rolling deployment to bring up workers that know it)
 */
@ConfigurationProperties("vitrine.jobs")
@Validated
record JobsSettings(@DefaultValue("8") @Min(1) @Max(256) int threads,
		@DefaultValue("1s") @NotNull Duration pollInterval, @DefaultValue("3s") @NotNull Duration heartbeatInterval,
		@DefaultValue("4") @Min(4) @Max(100) int missedHeartbeats, @DefaultValue("20s") @NotNull Duration shutdownGrace,
		@DefaultValue("14d") @NotNull Duration historyRetention, @DefaultValue("250ms") @NotNull Duration scheduleTick,
		@DefaultValue("10m") @NotNull Duration unknownTypeGrace) {

	Duration lease() {
		return this.heartbeatInterval.multipliedBy(this.missedHeartbeats);
	}

}
