package dev.vitrine.site;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vitrine.content.ContactMessages;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.vitrine.support.WebSession.loopback;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarded headers on, with one trusted proxy at 127.0.0.2 (and an inner proxy network,
 * 10.0.0.0/8): clients on other loopback addresses play visitors who send the headers
 * themselves.
 */
class ForwardedHeadersTests {

	private static final InetAddress PROXY = loopback(2);

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("forwarded_headers", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.site.forwarded-headers=true", "vitrine.site.trusted-proxies=127.0.0.2, 10.0.0.0/8",
				"vitrine.site.contact-limit=3", "vitrine.admin.email=owner@example.com",
				"vitrine.admin.password=a long enough password");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aForwardedForFromAPeerThatIsNotATrustedProxyIsIgnored() {
		sendContact(loopback(3), "X-Forwarded-For", "203.0.113.9");

		assertThat(latestAddress()).isEqualTo("127.0.0.3");
	}

	@Test
	void behindTheProxyTheClientIsTheRightmostHopThatIsNotATrustedProxy() {
		// what the client claimed, then what the proxies appended:
		// the client, then an inner proxy
		sendContact(PROXY, "X-Forwarded-For", "198.51.100.66, 203.0.113.9", "X-Forwarded-For", "10.1.2.3");

		assertThat(latestAddress()).isEqualTo("203.0.113.9");
	}

	@Test
	void claimingAnotherAddressEachTimeDoesNotEscapeTheContactLimit() {
		InetAddress visitor = loopback(4);
		for (int i = 0; i < 3; i++) {
			assertThat(sendContact(visitor, "X-Forwarded-For", "198.51.100." + i).statusCode()).isEqualTo(302);
		}

		assertThat(sendContact(visitor, "X-Forwarded-For", "198.51.100.99").statusCode()).isEqualTo(429);
	}

	@Test
	void claimingAnotherAddressEachTimeDoesNotEscapeTheLoginThrottle() {
		InetAddress guesser = loopback(5);
		int status = 0;
		int attempts = 0;
		while (status != 429 && attempts < 20) {
			WebSession session = new WebSession(app.port(), guesser);
			session.get("/login");
			status = session
				.post("/login", Map.of("username", "owner@example.com", "password", "guess " + attempts),
						"X-Forwarded-For", "198.51.100." + attempts)
				.statusCode();
			attempts++;
		}

		assertThat(status).as("refused after %d attempts", attempts).isEqualTo(429);
		assertThat(attempts).isLessThan(10);
	}

	@Test
	void schemeAndHostComeFromTheTrustedProxyOnly() {
		String[] claimed = { "X-Forwarded-Proto", "https", "X-Forwarded-Host", "ada.example" };

		HttpResponse<String> proxied = new WebSession(app.port(), PROXY).get("/contact", claimed);
		HttpResponse<String> direct = new WebSession(app.port(), loopback(6)).get("/contact", claimed);

		assertThat(proxied.body()).contains("https://ada.example/contact");
		assertThat(direct.body()).doesNotContain("ada.example").contains("http://127.0.0.1:" + app.port() + "/contact");
	}

	@Test
	void overHttpsEveryPageCarriesHstsAndTheSameSecurityHeadersCachedOrNot() {
		String[] https = { "X-Forwarded-Proto", "https", "X-Forwarded-Host", "ada.example" };
		WebSession visitor = new WebSession(app.port(), PROXY);

		HttpResponse<String> rendered = visitor.get("/projects", https);
		// the next one is answered by the cached-page filter, which writes its headers
		// itself (a page is cached once rendered a second after the last change)
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			visitor.get("/projects", https);
			return app.bean(PageCache.class).peek("https://ada.example/projects").isPresent();
		});
		HttpResponse<String> cached = visitor.get("/projects", https);
		HttpResponse<String> admin = visitor.get("/admin", https);
		HttpResponse<String> plain = new WebSession(app.port(), PROXY).get("/projects");

		assertThat(rendered.statusCode()).isEqualTo(200);
		assertThat(cached.statusCode()).isEqualTo(200);
		Map<String, List<String>> security = securityHeaders(rendered);
		assertThat(security).containsKeys("content-security-policy", "x-content-type-options", "x-frame-options",
				"referrer-policy", "strict-transport-security");
		assertThat(security.get("strict-transport-security").getFirst()).startsWith("max-age=31536000");
		assertThat(securityHeaders(cached)).isEqualTo(security);
		assertThat(securityHeaders(admin)).isEqualTo(security);
		assertThat(plain.headers().firstValue("Strict-Transport-Security")).as("over plain HTTP").isEmpty();
	}

	@Test
	void aMaxAgeOfZeroSendsNoHstsOverHttpsOnRenderedCachedOrAdminPages() {
		try (RunningApp off = RunningApp.start("hsts_off", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.security.hsts-max-age=0", "vitrine.site.forwarded-headers=true",
				"vitrine.site.trusted-proxies=127.0.0.2")) {
			String[] https = { "X-Forwarded-Proto", "https", "X-Forwarded-Host", "ada.example" };
			WebSession visitor = new WebSession(off.port(), PROXY);

			HttpResponse<String> rendered = visitor.get("/projects", https);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				visitor.get("/projects", https);
				return off.bean(PageCache.class).peek("https://ada.example/projects").isPresent();
			});
			HttpResponse<String> cached = visitor.get("/projects", https);
			HttpResponse<String> admin = visitor.get("/admin", https);

			assertThat(List.of(rendered, cached, admin)).allSatisfy((page) -> {
				assertThat(page.headers().firstValue("Content-Security-Policy")).as("a header sent").isPresent();
				assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
			});
		}
	}

	/** The headers that keep a page safe, by lower-case name. */
	private static Map<String, List<String>> securityHeaders(HttpResponse<String> response) {
		Map<String, List<String>> headers = new TreeMap<>();
		for (String name : List.of("content-security-policy", "x-content-type-options", "x-frame-options",
				"x-xss-protection", "referrer-policy", "strict-transport-security")) {
			response.headers()
				.allValues(name)
				.stream()
				.findAny()
				.ifPresent((any) -> headers.put(name, response.headers().allValues(name)));
		}
		return headers;
	}

	private static HttpResponse<String> sendContact(InetAddress from, String... headers) {
		WebSession visitor = new WebSession(app.port(), from);
		visitor.get("/contact");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("name", "Visitor");
		form.put("email", "visitor@example.com");
		form.put("subject", "");
		form.put("message", "A message through the proxy.");
		form.put("website", "");
		return visitor.post("/contact", form, headers);
	}

	private static String latestAddress() {
		return app.bean(ContactMessages.class).latest(1).getFirst().remoteAddress();
	}

}
