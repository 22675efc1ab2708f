package dev.vitrine.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a contact message's page says of its mail while mail is on, over HTTP: no worker
 * runs here, so its mail job waits until the owner acts on it in the monitor.
 */
class InboxMailStatusTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		// mail on, to a port where nothing listens: no worker runs here to try it anyway
		app = RunningApp.start("inbox_mail_status", "vitrine.roles=web,monitor", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD, "vitrine.mail.host=127.0.0.1",
				"vitrine.mail.port=" + Http.freePort());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aMessageWhoseMailJobWasCancelledSaysSoAndLinksTheJobToRetryNotThatItTriesAgain() {
		WebSession visitor = new WebSession(app.port());
		visitor.get("/contact");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", "Grace");
		form.put("email", "grace@example.com");
		form.put("subject", "Cancelled mail");
		form.put("message", "Will the owner know this will not be mailed?");
		form.put("website", "");
		assertThat(visitor.post("/contact", form).statusCode()).isEqualTo(302);
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		String message = Jsoup.parse(owner.get("/admin/messages").body())
			.select("a:contains(Cancelled mail)")
			.attr("href");
		assertThat(mailed(owner, message).text()).startsWith("not yet:").contains("tries again");
		String job = Jsoup.parse(owner.get("/monitor/jobs?type=site.contact-mail").body())
			.select("table.jobs tbody a")
			.attr("href");
		assertThat(job).startsWith("/monitor/jobs/site.contact-mail/");

		owner.get(job);
		assertThat(owner.post(job + "/cancel", Map.of()).statusCode()).isEqualTo(302);

		Element cancelled = mailed(owner, message);
		assertThat(cancelled.text()).isEqualTo(
				"no: its mail job was cancelled, so it will not be mailed unless you retry the job in the monitor");
		assertThat(cancelled.select("a").attr("href")).isEqualTo(job);

		owner.get(job);
		assertThat(owner.post(job + "/retry", Map.of()).statusCode()).isEqualTo(302);

		assertThat(mailed(owner, message).text()).startsWith("not yet:").contains("tries again");
	}

	/** What the message's page says under "Mailed to you". */
	private static Element mailed(WebSession owner, String message) {
		return Jsoup.parse(owner.get(message).body()).selectFirst("#mailed");
	}

}
