package dev.vitrine.site;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vitrine.content.ContactMessage;
import dev.vitrine.content.ContactMessages;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contact form end to end: through real HTTP, stored in PostgreSQL, mailed by a
 * worker job to a real SMTP server (GreenMail).
 */
class ContactFormTests {

	private static GreenMail smtp;

	private static final String OWNER_PASSWORD = "a long enough password";

	private static RunningApp app;

	private static int port;

	private static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		smtp = new GreenMail(new ServerSetup(Http.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		app = RunningApp.start("contact_form", "vitrine.roles=all", "vitrine.content.demo=false",
				"vitrine.mail.host=127.0.0.1", "vitrine.mail.port=" + smtp.getSmtp().getPort(),
				"vitrine.mail.starttls=false", "vitrine.mail.to=owner@example.com",
				"vitrine.mail.from=site@example.com", "vitrine.site.contact-limit=3",
				"vitrine.admin.email=owner@example.com", "vitrine.admin.password=" + OWNER_PASSWORD);
		port = app.port();
		jdbc = app.bean(JdbcClient.class);
	}

	@AfterAll
	static void stop() {
		app.close();
		smtp.stop();
	}

	@Test
	void aMessageIsStoredThenMailedToTheOwner() throws Exception {
		jdbc.sql("DELETE FROM contact_message").update();
		WebSession visitor = new WebSession(port);
		visitor.get("/contact");

		HttpResponse<String> sent = visitor.post("/contact",
				form("Grace", "grace@example.com", "Hello there", "I liked your article on queues.", ""));

		assertThat(sent.statusCode()).isEqualTo(302);
		assertThat(sent.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/contact?sent"));
		assertThat(visitor.get("/contact?sent").body()).contains("your message has been received");
		MimeMessage mail = await().atMost(Duration.ofSeconds(20))
			.until(() -> mailWithSubject("[contact] Hello there"), (found) -> found != null);
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("owner@example.com");
		assertThat(mail.getReplyTo()[0].toString()).contains("grace@example.com");
		assertThat(mail.getContent().toString()).contains("I liked your article on queues.");
		ContactMessage stored = app.bean(ContactMessages.class).latest(10).getFirst();
		assertThat(stored.name()).isEqualTo("Grace");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> app.bean(ContactMessages.class).find(stored.id()).orElseThrow().mailedAt() != null);
		WebSession owner = new WebSession(port).signIn("owner@example.com", OWNER_PASSWORD);
		assertThat(owner.get("/admin/messages").body()).as("mail is on").doesNotContain("id=\"mail-off\"");
		assertThat(owner.get("/admin/messages/" + stored.id()).body())
			.containsPattern("<dd id=\"mailed\">\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC</dd>");
	}

	@Test
	void invalidInputComesBackWithAMessagePerFieldAndWhatWasTyped() {
		WebSession visitor = new WebSession(port);
		visitor.get("/contact");
		int before = count();

		HttpResponse<String> response = visitor.post("/contact",
				form("", "not-an-address", "Subject kept", "short", ""));

		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("Enter your name")
			.contains("Enter an e-mail address like name@example.com")
			.contains("Write a message of 10 to 5,000 characters.")
			.contains("value=\"not-an-address\"")
			.contains("value=\"Subject kept\"")
			.contains(">short</textarea>")
			.contains("aria-invalid=\"true\"");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void anAddressTheMailCannotReplyToAndControlCharactersAreRefusedNotStored() {
		WebSession visitor = new WebSession(port);
		visitor.get("/contact");
		int before = count();

		// each would be stored, then fail its mail job at every attempt
		// a control character last gets past the mail parser: a NUL was a 500, a \u0001
		// went raw into the mail's Reply-To
		for (String address : List.of("x\"y@example.com", "a..b@example.com", ".a@example.com", "(c)a@example.com",
				"a@example.com\u0000", "a@example.com\u0001")) {
			HttpResponse<String> response = visitor.post("/contact",
					form("Grace", address, "", "A message long enough.", ""));
			assertThat(response.statusCode()).as(address.replace("\u0000", "NUL")).isEqualTo(422);
			assertThat(response.body()).as(address.replace("\u0000", "NUL"))
				.contains("Enter an e-mail address like name@example.com");
		}
		// PostgreSQL cannot store NUL: a 500 before, and the message lost
		HttpResponse<String> controls = visitor.post("/contact",
				form("Gr\u0000ace", "grace@example.com", "Hi\u0007", "hello\u0000world, a message", ""));
		assertThat(controls.statusCode()).isEqualTo(422);
		assertThat(controls.body()).contains("Your name contains control characters")
			.contains("The subject contains control characters")
			.contains("The message contains control characters other than line breaks");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void aMessageWhoseFormExpiredComesBackToTheVisitorToSendAgainNotLost() {
		// the page was loaded, then the browser restarted: the token's cookie is gone
		WebSession before = new WebSession(port);
		java.util.regex.Pattern token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
		java.util.regex.Matcher old = token.matcher(before.get("/contact").body());
		assertThat(old.find()).isTrue();
		// from an address of its own: the other tests' messages count against 127.0.0.1
		WebSession restarted = new WebSession(port, WebSession.loopback(42));
		int stored = count();
		Map<String, String> typed = form("Ada", "ada@example.com", "Long letter", "Three paragraphs, lovingly typed.",
				"");
		typed.put("_csrf", old.group(1));

		HttpResponse<String> expired = restarted.post("/contact", typed);

		assertThat(expired.statusCode()).isEqualTo(403);
		assertThat(expired.body()).contains("This form had expired, so your message was not sent")
			.contains(">Three paragraphs, lovingly typed.</textarea>")
			.contains("value=\"ada@example.com\"");
		assertThat(count()).as("nothing stored on an expired token").isEqualTo(stored);
		java.util.regex.Matcher fresh = token.matcher(expired.body());
		assertThat(fresh.find()).isTrue();
		typed.put("_csrf", fresh.group(1));
		assertThat(restarted.post("/contact", typed).statusCode()).as("sent again").isEqualTo(302);
		assertThat(count()).isEqualTo(stored + 1);
		// reached only through that refusal
		assertThat(new WebSession(port).get("/contact/resend?message=planted").statusCode()).isEqualTo(404);
	}

	@Test
	void aFilledHoneypotLooksAcceptedButStoresNothing() {
		WebSession bot = new WebSession(port);
		bot.get("/contact");
		int before = count();

		HttpResponse<String> response = bot.post("/contact",
				form("Bot", "bot@example.com", "", "Buy cheap things now!", "https://spam.example"));

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void withoutTheCsrfTokenTheFormIsRefused() {
		WebSession visitor = new WebSession(port);
		visitor.get("/");
		int before = count();

		HttpResponse<String> response = visitor.post("/contact",
				form("Eve", "eve@example.com", "", "Forged from another site", ""));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void oneAddressMaySendOnlySoManyMessagesAnHour() {
		// the app sees the socket's address (no proxy headers are trusted): 127.0.0.1
		jdbc.sql("DELETE FROM contact_message WHERE remote_address = '127.0.0.1'").update();
		WebSession visitor = new WebSession(port);
		for (int i = 0; i < 3; i++) {
			visitor.get("/contact");
			assertThat(visitor.post("/contact", form("Sam", "sam@example.com", "", "Message number " + i, ""))
				.statusCode()).isEqualTo(302);
		}
		visitor.get("/contact");

		HttpResponse<String> limited = visitor.post("/contact",
				form("Sam", "sam@example.com", "", "One message too many", ""));

		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("3600");
		assertThat(limited.body()).contains("try again later").contains(">One message too many</textarea>");
	}

	@Test
	void aClaimedClientAddressIsIgnoredWithoutForwardedHeadersSwitchedOn() {
		WebSession visitor = new WebSession(port);
		visitor.get("/contact");

		visitor.post("/contact", form("Mallory", "m@example.com", "Hi", "Counted as someone else?", ""),
				"X-Forwarded-For", "203.0.113.9");

		assertThat(app.bean(ContactMessages.class).latest(1).getFirst().remoteAddress()).isEqualTo("127.0.0.1");
	}

	@Test
	void behindAProxyTheForwardedClientAddressIsTheOneCounted() {
		try (RunningApp proxied = RunningApp.start("contact_forwarded", "vitrine.roles=web",
				"vitrine.content.demo=false", "vitrine.site.forwarded-headers=true")) {
			WebSession visitor = new WebSession(proxied.port());
			visitor.get("/contact");

			visitor.post("/contact", form("Ada", "ada@example.com", "Hello", "Through the proxy.", ""),
					"X-Forwarded-For", "203.0.113.9");

			assertThat(proxied.bean(ContactMessages.class).latest(1).getFirst().remoteAddress())
				.isEqualTo("203.0.113.9");
		}
	}

	@Test
	void anIpv6ClientCountsByItsSlash64AndParallelPostsCannotAllPassOnOneCount() throws Exception {
		try (RunningApp proxied = RunningApp.start("contact_limits", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.site.forwarded-headers=true", "vitrine.site.contact-limit=2")) {
			// another address of the same /64 for each message
			for (String address : List.of("2001:db8:0:1::1", "2001:db8:0:1::2")) {
				assertThat(post(proxied, address, "From " + address + ", counted.")).as(address).isEqualTo(302);
			}
			assertThat(post(proxied, "2001:db8:0:1::99", "A third address of the same /64.")).isEqualTo(429);
			assertThat(post(proxied, "2001:db8:0:2::1", "Another /64 is another client.")).isEqualTo(302);

			// eight at once from one address: the count and the insert are one step
			List<WebSession> visitors = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				WebSession visitor = new WebSession(proxied.port());
				visitor.get("/contact");
				visitors.add(visitor);
			}
			CountDownLatch go = new CountDownLatch(1);
			try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
				List<Future<HttpResponse<String>>> posts = new ArrayList<>();
				for (WebSession visitor : visitors) {
					posts.add(pool.submit(() -> {
						go.await();
						return visitor.post("/contact", form("Eve", "eve@example.com", "", "All at once, please.", ""),
								"X-Forwarded-For", "198.51.100.7");
					}));
				}
				go.countDown();
				for (Future<HttpResponse<String>> post : posts) {
					assertThat(post.get(60, TimeUnit.SECONDS).statusCode()).isIn(302, 429);
				}
			}
			assertThat(proxied.bean(JdbcClient.class)
				.sql("SELECT count(*) FROM contact_message WHERE remote_address = '198.51.100.7'")
				.query(Integer.class)
				.single()).as("messages stored of the eight").isEqualTo(2);
		}
	}

	@Test
	void theSameFormSentTwiceOrTwiceAtOnceStoresAndMailsOneMessage() throws Exception {
		jdbc.sql("DELETE FROM contact_message").update();
		WebSession visitor = new WebSession(port);
		Map<String, String> typed = form("Ada", "ada@example.com", "Twice", "Clicked Send twice, quickly.", "");
		typed.put("submission", submission(visitor.get("/contact").body()));

		assertThat(visitor.post("/contact", typed).statusCode()).isEqualTo(302);
		assertThat(visitor.post("/contact", typed).statusCode()).as("the reload of the POST").isEqualTo(302);
		assertThat(count()).isEqualTo(1);

		Map<String, String> again = form("Ada", "ada@example.com", "Twice", "A double click, both at once.", "");
		again.put("submission", submission(visitor.get("/contact").body()));
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Integer>> posts = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				posts.add(pool.submit(() -> {
					go.await();
					return visitor.post("/contact", again).statusCode();
				}));
			}
			go.countDown();
			for (Future<Integer> post : posts) {
				assertThat(post.get(60, TimeUnit.SECONDS)).isEqualTo(302);
			}
		}
		assertThat(count()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> jdbc.sql("SELECT count(*) FROM contact_message WHERE mailed_at IS NOT NULL")
				.query(Integer.class)
				.single() == 2);
		assertThat(Arrays.stream(smtp.getReceivedMessages()).filter((mail) -> {
			try {
				return "[contact] Twice".equals(mail.getSubject());
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		})).as("mails, one per message").hasSize(2);
	}

	@Test
	void theSameFormChangedAfterBackAndSentAgainIsAMessageOfItsOwnAndAtTheLimitASecondSendIsStillSent() {
		jdbc.sql("DELETE FROM contact_message").update();
		WebSession visitor = new WebSession(port);
		String submission = submission(visitor.get("/contact").body());
		Map<String, String> first = form("Lin", "lin@example.com", "", "The first version of my message.", "");
		first.put("submission", submission);
		Map<String, String> changed = form("Lin", "lin@example.com", "", "The second version, after Back.", "");
		changed.put("submission", submission);

		assertThat(visitor.post("/contact", first).statusCode()).isEqualTo(302);
		assertThat(visitor.post("/contact", changed).statusCode()).isEqualTo(302);
		assertThat(visitor.post("/contact", changed).statusCode()).as("the changed one sent twice").isEqualTo(302);
		assertThat(jdbc.sql("SELECT body FROM contact_message ORDER BY id").query(String.class).list())
			.containsExactly("The first version of my message.", "The second version, after Back.");

		// the limit is 3: the third stored, its second send is not a fourth
		Map<String, String> third = form("Lin", "lin@example.com", "", "A third one, sent twice.", "");
		third.put("submission", submission(visitor.get("/contact").body()));
		assertThat(visitor.post("/contact", third).statusCode()).isEqualTo(302);
		assertThat(visitor.post("/contact", third).statusCode()).isEqualTo(302);
		assertThat(count()).isEqualTo(3);
	}

	private static String submission(String page) {
		return Jsoup.parse(page).select("input[name=submission]").attr("value");
	}

	private static int post(RunningApp app, String from, String message) {
		WebSession visitor = new WebSession(app.port());
		visitor.get("/contact");
		return visitor.post("/contact", form("Ipv6", "v6@example.com", "", message, ""), "X-Forwarded-For", from)
			.statusCode();
	}

	private static Map<String, String> form(String name, String email, String subject, String message,
			String honeypot) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", name);
		form.put("email", email);
		form.put("subject", subject);
		form.put("message", message);
		form.put("website", honeypot);
		return form;
	}

	private static MimeMessage mailWithSubject(String subject) throws Exception {
		for (MimeMessage mail : smtp.getReceivedMessages()) {
			if (subject.equals(mail.getSubject())) {
				return mail;
			}
		}
		return null;
	}

	private static int count() {
		return jdbc.sql("SELECT count(*) FROM contact_message").query(Integer.class).single();
	}

}
