package dev.vitrine.admin;

import java.time.Instant;

import dev.vitrine.content.ContactMessage;
import dev.vitrine.jobs.JobId;
import dev.vitrine.jobs.JobMonitor;
import dev.vitrine.jobs.JobState;

/** What a contact message's page says of its mail to the owner. */
public sealed interface MessageMail {

	/**
	 * The site module's job that mails a message, with a payload of {@code {"messageId":
	 * id}}: the admin module may not use the site module, so it names both as the monitor
	 * shows them.
	 */
	String JOB_TYPE = "site.contact-mail";

	/** Mailed then. */
	record Mailed(Instant at) implements MessageMail {
	}

	/** Mail is off: messages are only kept in the inbox. */
	record Off() implements MessageMail {
	}

	/**
	 * Not yet: its job waits, runs or retries; or no job is found (the message came while
	 * mail was off, or the job's history is gone).
	 */
	record NotYet() implements MessageMail {
	}

	/**
	 * Its job ended without mailing it (cancelled, failed its last attempt, or
	 * discarded): nothing mails it unless that job is retried.
	 */
	record Stopped(JobId job, JobState state) implements MessageMail {

		/** How the job ended, to follow "its mail job". */
		public String ended() {
			return switch (this.state) {
				case CANCELLED -> "was cancelled";
				case FAILED -> "failed its last attempt";
				default -> "was discarded";
			};
		}

	}

	static MessageMail of(ContactMessage message, boolean mailOn, JobMonitor monitor) {
		if (message.mailedAt() != null) {
			return new Mailed(message.mailedAt());
		}
		if (!mailOn) {
			return new Off();
		}
		return monitor.newest(JOB_TYPE, "{\"messageId\": " + message.id() + "}", message.createdAt())
			.filter(JobMonitor.JobDetail::canRetry)
			.<MessageMail>map((job) -> new Stopped(job.id(), job.state()))
			.orElseGet(NotYet::new);
	}

}
