package dev.vitrine.content;

import java.time.Duration;

import dev.vitrine.jobs.JobType;

/**
 * The job that makes an uploaded image's thumbnail.
 *
 * @param mediaId the {@code media} row
 */
public record MakeThumbnail(long mediaId) {

	public static final JobType<MakeThumbnail> TYPE = JobType.of("content.thumbnail", MakeThumbnail.class)
		.queue("media")
		.maxAttempts(3)
		.backoff(Duration.ofSeconds(5), Duration.ofMinutes(5))
		.timeout(Duration.ofMinutes(1))
		.concurrency(ThumbnailHandler.DECODES);

}
