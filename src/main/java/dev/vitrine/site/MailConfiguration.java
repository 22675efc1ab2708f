package dev.vitrine.site;

import java.util.Properties;

import dev.vitrine.content.ContactMessages;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * SMTP and the contact-mail job, in worker processes when {@code VITRINE_MAIL_HOST} is
 * set (web only enqueues the job, see {@link MailSettings#enabled()}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.WORKER)
@ConditionalOnExpression("!'${vitrine.mail.host:}'.isBlank()")
class MailConfiguration {

	@Bean
	JavaMailSenderImpl contactMailSender(MailSettings settings) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(settings.host());
		sender.setPort(settings.port());
		if (!settings.username().isBlank()) {
			sender.setUsername(settings.username());
			sender.setPassword(settings.password());
		}
		Properties properties = sender.getJavaMailProperties();
		properties.put("mail.smtp.auth", String.valueOf(!settings.username().isBlank()));
		properties.put("mail.smtp.starttls.enable", String.valueOf(settings.starttls()));
		properties.put("mail.smtp.starttls.required", String.valueOf(settings.starttls()));
		properties.put("mail.smtp.connectiontimeout", "10000");
		properties.put("mail.smtp.timeout", "20000");
		properties.put("mail.smtp.writetimeout", "20000");
		return sender;
	}

	@Bean
	ContactMailHandler contactMailHandler(ContactMessages messages, JavaMailSenderImpl contactMailSender,
			MailSettings settings, Environment environment) {
		return new ContactMailHandler(messages, contactMailSender,
				settings.withRecipientOr(environment.getProperty("vitrine.admin.email")));
	}

}
