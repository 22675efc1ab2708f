package dev.vitrine.images;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import dev.vitrine.support.WebSession;
import jakarta.mail.internet.MimeMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message sent through a web container's contact form, and the mail about it that the
 * worker container sends the owner: across containers, through the job table.
 */
final class ContactRoundTrip {

	private ContactRoundTrip() {
	}

	/** Sends a message as a visitor would, and checks the form took it. */
	static void send(int webPort, String subject, String message) {
		WebSession visitor = new WebSession(webPort);
		visitor.get("/contact");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", "Image Check");
		form.put("email", "check@example.org");
		form.put("subject", subject);
		form.put("message", message);
		form.put("website", "");

		HttpResponse<String> sent = visitor.post("/contact", form);

		assertThat(sent.statusCode()).as("the contact form's answer: %s", sent.body()).isEqualTo(302);
	}

	/** The owner's mail about the message with that subject, once it arrives. */
	static MimeMessage awaitMail(GreenMail smtp, String subject) {
		return await().atMost(Duration.ofSeconds(90))
			.until(() -> mailWithSubject(smtp, "[contact] " + subject), (found) -> found != null);
	}

	private static MimeMessage mailWithSubject(GreenMail smtp, String subject) throws Exception {
		for (MimeMessage message : smtp.getReceivedMessages()) {
			if (subject.equals(message.getSubject())) {
				return message;
			}
		}
		return null;
	}

}
