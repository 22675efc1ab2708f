package dev.vitrine.content;

import java.time.Duration;

import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;

/**
 * The job that stores again, without their metadata, the images stored with it: by a
 * version before uploads were stripped (V18), or by one still running beside this one.
 * Scheduled, and its state is each row's {@code metadata_stripped}, so an older worker,
 * which does not know this type, can neither run it nor lose it.
 */
public record StripStoredMetadata() {

	static final JobType<StripStoredMetadata> TYPE = JobType.of("content.strip-metadata", StripStoredMetadata.class)
		.queue("media")
		.maxAttempts(3)
		.timeout(Duration.ofMinutes(10))
		.concurrency(1);

	/** Often enough that an upgrade's images are clean soon after it; a no-op after. */
	static final ScheduleDefinition<StripStoredMetadata> SCHEDULE = new ScheduleDefinition<>(TYPE.name(), TYPE,
			new StripStoredMetadata(), Schedule.every(Duration.ofMinutes(10)), ScheduleDefinition.Misfire.RUN_ONCE,
			Duration.ofMinutes(9));

}
