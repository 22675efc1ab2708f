package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes job history older than {@code vitrine.jobs.history-retention}; runs hourly.
 */
class HistoryRetentionJob implements JobHandler<HistoryRetentionJob.Payload> {

	private static final Logger log = LoggerFactory.getLogger(HistoryRetentionJob.class);

	static final JobType<Payload> TYPE = JobType.of("jobs.history-retention", Payload.class)
		.queue("maintenance")
		.maxAttempts(3)
		.concurrency(1);

	/**
	 * Hourly, so that each run deletes an hour's worth: at 10,000 jobs/s that is 36
	 * million rows in batches, instead of a night's backlog of hundreds of millions.
	 */
	static final ScheduleDefinition<Payload> SCHEDULE = new ScheduleDefinition<>(TYPE.name(), TYPE, new Payload(),
			Schedule.cron("0 17 * * * *", ZoneId.of("UTC")), ScheduleDefinition.Misfire.RUN_ONCE,
			Duration.ofMinutes(50));

	private final JobHistory history;

	private final Duration retention;

	HistoryRetentionJob(JobHistory history, Duration retention) {
		this.history = history;
		this.retention = retention;
	}

	@Override
	public JobType<Payload> type() {
		return TYPE;
	}

	@Override
	public void handle(Payload payload, JobContext context) {
		long deleted = this.history.deleteFinishedBefore(Instant.now().minus(this.retention));
		log.info("Job history retention: deleted {} attempts older than {} days", deleted, this.retention.toDays());
	}

	/** Nothing to say: the retention period is configuration, read when the job runs. */
	record Payload() {
	}

}
