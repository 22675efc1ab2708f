package dev.vitrine.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar as deployed, sent requests no browser would send: made-up Host headers and
 * query strings. With {@code VITRINE_SITE_URL} they get the canonical pages from the
 * cache's existing entries; without it the cache stays within its byte bound. What the
 * cache holds is read from its metrics on the management port.
 */
class PageCacheBoundsIT {

	private static final List<String> PAGES = List.of("/", "/projects", "/articles", "/tags", "/feed.xml");

	private final Random random = new Random(15);

	@Test
	void withASiteUrlMadeUpHostsAndQueryStringsGetTheCanonicalPagesAndAddNoEntries() {
		int port = Http.freePort();
		int management = Http.freePort();
		try (AppProcess app = start("page-cache-site-url", port, management,
				Map.of("VITRINE_SITE_URL", "https://ada.example"))) {
			app.awaitHealthy(port, Duration.ofMinutes(4));
			// once the process listens for content changes, pages are kept
			await().atMost(Duration.ofMinutes(2)).until(() -> {
				PAGES.forEach((path) -> get(port, "127.0.0.1", path));
				return metric(management, "vitrine_page_cache_pages") == PAGES.size();
			});
			long bytes = metric(management, "vitrine_page_cache_size_bytes");

			for (int i = 0; i < 300; i++) {
				String host = "h" + Long.toHexString(this.random.nextLong()) + ".example";
				String path = PAGES.get(i % PAGES.size()) + "?utm_source=" + this.random.nextInt() + "&x"
						+ this.random.nextInt() + "=1";
				String response = get(port, host, path);
				assertThat(response).as(host + path).startsWith("HTTP/1.1 200 ").contains("https://ada.example/");
				assertThat(response).as(host + path).doesNotContain(host);
			}
			// the same page, however its number is written
			assertThat(get(port, "evil.example", "/articles?page=01&utm_source=x")).startsWith("HTTP/1.1 200 ")
				.doesNotContain("evil.example");

			assertThat(metric(management, "vitrine_page_cache_pages")).isEqualTo(PAGES.size());
			assertThat(metric(management, "vitrine_page_cache_size_bytes")).isEqualTo(bytes);
		}
	}

	@Test
	void withoutASiteUrlMadeUpHostsNeverTakeTheCacheBeyondItsBound() {
		int port = Http.freePort();
		int management = Http.freePort();
		long bound = 100 * 1024;
		try (AppProcess app = start("page-cache-bound", port, management,
				Map.of("VITRINE_SITE_PAGE_CACHE_SIZE", "100KB"))) {
			app.awaitHealthy(port, Duration.ofMinutes(4));
			await().atMost(Duration.ofMinutes(2)).until(() -> {
				get(port, "127.0.0.1", "/");
				return metric(management, "vitrine_page_cache_pages") > 0;
			});

			long most = 0;
			for (int i = 0; i < 200; i++) {
				String host = "h" + Long.toHexString(this.random.nextLong()) + ".example";
				String response = get(port, host, "/");
				assertThat(response).startsWith("HTTP/1.1 200 ").contains("http://" + host + "/");
				if (i % 5 == 0) {
					long bytes = metric(management, "vitrine_page_cache_size_bytes");
					assertThat(bytes).as("bytes after %d made-up hosts", i + 1).isLessThanOrEqualTo(bound);
					most = Math.max(most, bytes);
				}
			}

			assertThat(most).as("the cache was in use").isGreaterThan(bound / 4);
			assertThat(metric(management, "vitrine_page_cache_pages")).isLessThan(200);
		}
	}

	private static AppProcess start(String name, int port, int management, Map<String, String> settings) {
		Map<String, String> environment = new HashMap<>(settings);
		environment.put("VITRINE_DB_URL", TestPostgres.newMigratedDatabase(name.replace('-', '_')));
		environment.put("VITRINE_DB_USER", TestPostgres.user());
		environment.put("VITRINE_ROLES", "web");
		environment.put("SERVER_PORT", Integer.toString(port));
		environment.put("VITRINE_MANAGEMENT_PORT", Integer.toString(management));
		return AppProcess.start(name, environment);
	}

	/** A GET with this Host header, which Java's HTTP client will not send. */
	private static String get(int port, String host, String path) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(20_000);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long metric(int management, String name) {
		String metrics = Http.get(management, "/actuator/prometheus").body();
		Matcher value = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(metrics);
		assertThat(value.find()).as(name + " in\n" + metrics).isTrue();
		return (long) Double.parseDouble(value.group(1));
	}

}
