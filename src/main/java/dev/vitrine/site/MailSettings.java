package dev.vitrine.site;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMTP for mailing contact messages to the owner ({@code VITRINE_MAIL_*}). Without a
 * host, messages are only stored and shown in the admin.
 *
 * @param to where contact messages go; empty = {@code VITRINE_ADMIN_EMAIL}
 * @param from the sender address; empty = {@code to}
 * @param starttls upgrade the connection with STARTTLS (required when on)
 */
@ConfigurationProperties("vitrine.mail")
record MailSettings(@DefaultValue("") String host, @DefaultValue("587") int port, @DefaultValue("") String username,
		@DefaultValue("") String password, @DefaultValue("") String to, @DefaultValue("") String from,
		@DefaultValue("true") boolean starttls) {

	MailSettings {
		if (port < 1 || port > 65535) {
			throw Setting.of("vitrine.mail.port").invalid(port + " is not a TCP port (1-65535)");
		}
	}

	/**
	 * The settings with {@code to} filled in from the owner's address when empty.
	 * @throws dev.vitrine.ops.InvalidSettingException when SMTP is on and no recipient is
	 * known
	 */
	MailSettings withRecipientOr(String ownerEmail) {
		String recipient = this.to.isBlank() ? ownerEmail : this.to;
		if (enabled() && (recipient == null || !recipient.contains("@"))) {
			throw Setting.of("vitrine.mail.to")
				.invalid(
						Setting.of("vitrine.mail.host").envVar() + " is set, so give the address contact messages go to"
								+ " (or set " + Setting.of("vitrine.admin.email").envVar() + ")");
		}
		return new MailSettings(this.host, this.port, this.username, this.password, recipient, this.from,
				this.starttls);
	}

	boolean enabled() {
		return !this.host.isBlank();
	}

	String sender() {
		return this.from.isBlank() ? this.to : this.from;
	}

}
