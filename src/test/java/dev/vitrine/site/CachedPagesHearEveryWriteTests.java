package dev.vitrine.site;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.vitrine.ops.Sha256;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.TaggedImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web replica's cached pages follow every write to the content, not only the editor's:
 * the worker's own writes, and one made beside the application.
 */
class CachedPagesHearEveryWriteTests {

	private static String url;

	private static RunningApp web;

	private static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		url = TestPostgres.newMigratedDatabase("cached_pages_hear_every_write");
		web = RunningApp.startOn(url, "vitrine.roles=web", "vitrine.content.demo=false");
		jdbc = web.bean(JdbcClient.class);
	}

	@AfterAll
	static void stop() {
		web.close();
	}

	@Test
	void aCachedPageShowsTheSizeTheWorkersResizePassGaveItsImage() {
		// as an earlier version stored them: an image without its size, and a page
		// saved without it
		byte[] png = TaggedImages.taggedPng(30, 20, 1);
		jdbc.sql("""
				INSERT INTO media (id, file_name, content_type, bytes, size, sha256)
				VALUES (101, 'image-101', 'image/png', ?, ?, ?)""").params(png, png.length, Sha256.hex(png)).update();
		publish("unsized", "<p><img src=\"/media/101/image-101\" loading=\"lazy\" alt=\"a picture\" /></p>");
		HttpResponse<String> cached = cached("/articles/unsized");
		assertThat(cached.body()).contains("<img src=\"/media/101/image-101\" loading=\"lazy\"");

		// the worker's hourly pass, which also runs once as a worker starts
		try (RunningApp worker = RunningApp.startOn(url, "vitrine.roles=worker", "vitrine.content.demo=false")) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.sql("SELECT body_html FROM entry WHERE slug = 'unsized'")
					.query(String.class)
					.single()
					.contains("width=\"30\" height=\"20\""));
		}

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			HttpResponse<String> page = Http.get(web.port(), "/articles/unsized");
			assertThat(page.body()).contains("<img src=\"/media/101/image-101\" width=\"30\" height=\"20\"");
			assertThat(page.headers().firstValue("ETag")).isNotEqualTo(cached.headers().firstValue("ETag"));
		});
	}

	@Test
	void aCachedPageShowsAWriteMadeBesideTheApplication() {
		publish("by-hand", "<p>As first written.</p>");
		cached("/articles/by-hand");

		// as the owner might with psql
		jdbc.sql("UPDATE entry SET body_html = '<p>Corrected by hand.</p>' WHERE slug = 'by-hand'").update();

		await().atMost(Duration.ofSeconds(5))
			.until(() -> Http.get(web.port(), "/articles/by-hand").body().contains("Corrected by hand."));
	}

	private static void publish(String slug, String html) {
		jdbc.sql("""
				INSERT INTO entry (kind, slug, title, body_markdown, body_html, published, published_at)
				VALUES ('article', ?, 'A page', '', ?, true, now() - interval '1 day')""").params(slug, html).update();
	}

	/** The page, once this replica keeps it (dated once the insert has settled). */
	private static HttpResponse<String> cached(String path) {
		PageCache cache = web.bean(PageCache.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			Http.get(web.port(), path);
			return cache.peek("http://127.0.0.1:" + web.port() + path).isPresent();
		});
		return Http.get(web.port(), path);
	}

}
