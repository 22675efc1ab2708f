package dev.vitrine.site;

import dev.vitrine.jobs.JobType;

import java.time.Duration;

/**
 * The job that mails one stored contact message to the owner.
 *
 * @param messageId the {@code contact_message} row
 */
record ContactMail(long messageId) {

	static final JobType<ContactMail> TYPE = JobType.of("site.contact-mail", ContactMail.class)
		.queue("mail")
		.maxAttempts(8)
		.backoff(Duration.ofSeconds(30), Duration.ofHours(2))
		.timeout(Duration.ofMinutes(1))
		.concurrency(2);

}
