package dev.vitrine.site;

import java.io.UnsupportedEncodingException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.vitrine.content.ContactMessages;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * The contact form as submitted.
 *
 * @param website the honeypot: hidden from people, filled in by bots
 * @param submission the form's own id, made when the form is first shown and sent back
 * with it, so that the same form sent twice stores one message; a new one for a post
 * without it
 */
public record ContactForm(String name, String email, String subject, String message, String website, UUID submission) {

	// the limits errors() enforces, and the form's maxlength attributes show

	public static final int MAX_NAME = 100;

	public static final int MAX_EMAIL = 200;

	public static final int MAX_SUBJECT = 200;

	public static final int MIN_MESSAGE = 10;

	public static final int MAX_MESSAGE = 5_000;

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	/**
	 * Control characters: PostgreSQL cannot store NUL, and no name or address has any.
	 */
	private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

	/** The same, but for the line breaks and tabs a message may hold. */
	private static final Pattern CONTROL_IN_TEXT = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");

	public ContactForm {
		name = strip(name);
		email = strip(email);
		subject = strip(subject);
		message = (message != null) ? message.replace("\r\n", "\n").replace('\r', '\n').strip() : "";
		website = strip(website);
		submission = (submission != null) ? submission : UUID.randomUUID();
	}

	static ContactForm empty() {
		return new ContactForm("", "", "", "", "", null);
	}

	ContactMessages.Draft draft() {
		return new ContactMessages.Draft(this.name, this.email, this.subject, this.message);
	}

	boolean isFromABot() {
		return !this.website.isEmpty();
	}

	/** A message per invalid field, in form order; empty when valid. */
	Map<String, String> errors() {
		Map<String, String> errors = new LinkedHashMap<>();
		if (this.name.isEmpty() || this.name.length() > MAX_NAME) {
			errors.put("name", "Enter your name (up to " + MAX_NAME + " characters).");
		}
		else if (CONTROL.matcher(this.name).find()) {
			errors.put("name", "Your name contains control characters; remove them.");
		}
		if (this.email.length() > MAX_EMAIL || !EMAIL.matcher(this.email).matches()
				|| CONTROL.matcher(this.email).find() || !canReplyTo(this.email)) {
			errors.put("email", "Enter an e-mail address like name@example.com, so the reply reaches you.");
		}
		if (this.subject.length() > MAX_SUBJECT) {
			errors.put("subject", "Keep the subject under " + MAX_SUBJECT + " characters.");
		}
		else if (CONTROL.matcher(this.subject).find()) {
			errors.put("subject", "The subject contains control characters; remove them.");
		}
		if (this.message.length() < MIN_MESSAGE || this.message.length() > MAX_MESSAGE) {
			errors.put("message", "Write a message of " + MIN_MESSAGE + " to "
					+ String.format(Locale.ENGLISH, "%,d", MAX_MESSAGE) + " characters.");
		}
		else if (CONTROL_IN_TEXT.matcher(this.message).find()) {
			errors.put("message", "The message contains control characters other than line breaks; remove them.");
		}
		return errors;
	}

	/**
	 * Whether the mail job can put this address in Reply-To: parsed as
	 * {@code ContactMailHandler} and Spring's mail support will, so that a message stored
	 * here is never one the job fails to mail at every attempt.
	 */
	private static boolean canReplyTo(String email) {
		try {
			return InternetAddress.parse(new InternetAddress(email, "Sender").toString()).length == 1;
		}
		catch (AddressException | UnsupportedEncodingException ex) {
			return false;
		}
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : "";
	}

}
