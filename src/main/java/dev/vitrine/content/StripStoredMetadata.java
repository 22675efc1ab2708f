package dev.vitrine.content;

import java.time.Duration;
import java.time.ZoneId;

import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;

/**
 * The job that prepares the images stored or thumbnailed by another version: without
 * their metadata, their size as shown, their thumbnail made from that. Its state is each
 * row's {@code prepared} (V18), not a queue: an older worker does not know this type, and
 * while only older workers run, a queued one of these is failed as of an unknown type
 * after the grace ({@code VITRINE_JOBS_UNKNOWN_TYPE_GRACE}), which loses nothing; the
 * next fire on a worker of this version does the work. Hourly, and once when a worker
 * starts.
 */
record StripStoredMetadata() {

	static final JobType<StripStoredMetadata> TYPE = JobType.of("content.strip-metadata", StripStoredMetadata.class)
		.queue("media")
		.maxAttempts(1)
		.timeout(Duration.ofMinutes(10))
		.concurrency(1);

	static final ScheduleDefinition<StripStoredMetadata> SCHEDULE = new ScheduleDefinition<>(TYPE.name(), TYPE,
			new StripStoredMetadata(), Schedule.cron("0 23 * * * *", ZoneId.of("UTC")),
			ScheduleDefinition.Misfire.RUN_ONCE, Duration.ofMinutes(50));

}
