package dev.vitrine.site;

import dev.vitrine.content.ContactMessage;
import dev.vitrine.content.ContactMessages;
import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobType;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Mails a contact message to the owner, with Reply-To set to the sender. A message
 * already mailed is not mailed again, so a retried job sends one mail.
 */
class ContactMailHandler implements JobHandler<ContactMail> {

	private static final Logger log = LoggerFactory.getLogger(ContactMailHandler.class);

	private final ContactMessages messages;

	private final JavaMailSender sender;

	private final MailSettings settings;

	ContactMailHandler(ContactMessages messages, JavaMailSender sender, MailSettings settings) {
		this.messages = messages;
		this.sender = sender;
		this.settings = settings;
	}

	@Override
	public JobType<ContactMail> type() {
		return ContactMail.TYPE;
	}

	@Override
	public void handle(ContactMail payload, JobContext context) throws Exception {
		ContactMessage message = this.messages.find(payload.messageId()).orElse(null);
		if (message == null || message.mailedAt() != null) {
			log.info("Contact message {} is {}: nothing to mail", payload.messageId(),
					(message == null) ? "deleted" : "already mailed");
			return;
		}
		SimpleMailMessage mail = new SimpleMailMessage();
		mail.setTo(this.settings.to());
		mail.setFrom(this.settings.sender());
		mail.setReplyTo(new InternetAddress(message.email(), message.name()).toString());
		mail.setSubject(
				"[contact] " + (message.subject().isBlank() ? "Message from " + message.name() : message.subject()));
		mail.setText("From: " + message.name() + " <" + message.email() + ">\nSent: " + message.createdAt() + "\n\n"
				+ message.body() + "\n");
		this.sender.send(mail);
		this.messages.markMailed(message.id());
	}

}
