package dev.vitrine.site;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contact form as submitted.
 *
 * @param website the honeypot: hidden from people, filled in by bots
 */
public record ContactForm(String name, String email, String subject, String message, String website) {

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	public ContactForm {
		name = strip(name);
		email = strip(email);
		subject = strip(subject);
		message = (message != null) ? message.replace("\r\n", "\n").strip() : "";
		website = strip(website);
	}

	static ContactForm empty() {
		return new ContactForm("", "", "", "", "");
	}

	boolean isFromABot() {
		return !this.website.isEmpty();
	}

	/** A message per invalid field, in form order; empty when valid. */
	Map<String, String> errors() {
		Map<String, String> errors = new LinkedHashMap<>();
		if (this.name.isEmpty() || this.name.length() > 100) {
			errors.put("name", "Enter your name (up to 100 characters).");
		}
		if (this.email.length() > 200 || !EMAIL.matcher(this.email).matches()) {
			errors.put("email", "Enter an e-mail address like name@example.com, so the reply reaches you.");
		}
		if (this.subject.length() > 200) {
			errors.put("subject", "Keep the subject under 200 characters.");
		}
		if (this.message.length() < 10 || this.message.length() > 5_000) {
			errors.put("message", "Write a message of 10 to 5,000 characters.");
		}
		return errors;
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : "";
	}

}
