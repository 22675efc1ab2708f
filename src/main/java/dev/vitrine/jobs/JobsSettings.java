package dev.vitrine.jobs;

import java.time.Duration;

import dev.vitrine.ops.Setting;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a worker process runs jobs ({@code VITRINE_JOBS_*}).
 *
 * @param threads jobs one worker process runs at once, all types together
 * @param pollInterval how often a worker looks for due jobs when no notification wakes it
 * @param heartbeatInterval how often a worker renews the lease on the jobs it runs
 * @param missedHeartbeats heartbeats missed before a job counts as abandoned and runs
 * again elsewhere; lease = heartbeat interval x missed heartbeats
 * @param shutdownGrace on SIGTERM, how long running jobs may take to finish before the
 * rest are interrupted and released to other workers (those whose handler returns within
 * {@link JobWorker#INTERRUPT_WAIT}; the others keep their lease until their handler
 * returns or the process exits)
 * @param historyRetention how long attempts are kept in the history
 * @param scheduleTick how often a scheduler process looks for due schedules
 * @param unknownTypeGrace how long a job whose type no worker knows waits before it
 * fails, counted from when it was due and from when a worker that knows the type was last
 * seen (long enough for a rolling deployment to bring up workers that know it)
 * @param prefetch the most jobs a worker process claims ahead of its free threads, so
 * that one claim carries many short jobs; it claims ahead only about 10 ms of work at the
 * rate jobs finish, so slow jobs wait for a free thread in the database, where any worker
 * can take them; 0 claims only for free threads
 */
@ConfigurationProperties("vitrine.jobs")
record JobsSettings(@DefaultValue("8") int threads, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("3s") Duration heartbeatInterval, @DefaultValue("4") int missedHeartbeats,
		@DefaultValue("20s") Duration shutdownGrace, @DefaultValue("14d") Duration historyRetention,
		@DefaultValue("250ms") Duration scheduleTick, @DefaultValue("10m") Duration unknownTypeGrace,
		@DefaultValue("256") int prefetch) {

	JobsSettings {
		Setting.of("vitrine.jobs.threads").requireRange(threads, 1, 256);
		Setting.of("vitrine.jobs.prefetch").requireRange(prefetch, 0, 10_000);
		Setting.of("vitrine.jobs.missed-heartbeats").requireRange(missedHeartbeats, 4, 100);
		Duration positive = Duration.ofMillis(1);
		Setting.of("vitrine.jobs.poll-interval").requireAtLeast(pollInterval, positive);
		Setting.of("vitrine.jobs.heartbeat-interval").requireAtLeast(heartbeatInterval, positive);
		Setting.of("vitrine.jobs.shutdown-grace").requireAtLeast(shutdownGrace, positive);
		Setting.of("vitrine.jobs.history-retention").requireAtLeast(historyRetention, positive);
		Setting.of("vitrine.jobs.schedule-tick").requireAtLeast(scheduleTick, positive);
		Setting.of("vitrine.jobs.unknown-type-grace").requireAtLeast(unknownTypeGrace, positive);
	}

	Duration lease() {
		return this.heartbeatInterval.multipliedBy(this.missedHeartbeats);
	}

}
