package dev.vitrine.site;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Profile;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.HtmlUtils;

/** The Atom feed of articles, the sitemap and robots.txt: for readers and crawlers. */
@Controller
@ConditionalOnRole(Role.WEB)
class Feeds {

	static final int FEED_SIZE = 20;

	private final ContentCatalog catalog;

	private final PageCache cache;

	private final SiteUrls urls;

	Feeds(ContentCatalog catalog, PageCache cache, SiteUrls urls) {
		this.catalog = catalog;
		this.cache = cache;
		this.urls = urls;
	}

	@GetMapping("/feed.xml")
	ResponseEntity<byte[]> feed(HttpServletRequest request) {
		String base = this.urls.base(request);
		return SitePages.send(this.cache.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request),
				"application/atom+xml;charset=UTF-8", () -> {
					String owner = this.catalog.profile().map(Profile::name).orElse("Portfolio");
					List<Entry> articles = this.catalog.latest(EntryKind.ARTICLE, FEED_SIZE);
					Instant updated = articles.stream()
						.map(Entry::updatedAt)
						.max(Instant::compareTo)
						.orElse(Instant.EPOCH);
					StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
						.append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
						.append("  <title>")
						.append(xml(owner))
						.append(": articles</title>\n")
						.append("  <id>")
						.append(xml(base))
						.append("/</id>\n")
						.append("  <link rel=\"alternate\" href=\"")
						.append(xml(base))
						.append("/articles\"/>\n")
						.append("  <link rel=\"self\" href=\"")
						.append(xml(base))
						.append("/feed.xml\"/>\n")
						.append("  <updated>")
						.append(Dates.iso(updated))
						.append("</updated>\n")
						.append("  <author><name>")
						.append(xml(owner))
						.append("</name></author>\n");
					for (Entry article : articles) {
						xml.append("  <entry>\n")
							.append("    <title>")
							.append(xml(article.title()))
							.append("</title>\n")
							.append("    <id>")
							.append(xml(base + article.path()))
							.append("</id>\n")
							.append("    <link rel=\"alternate\" href=\"")
							.append(xml(base + article.path()))
							.append("\"/>\n")
							.append("    <published>")
							.append(Dates.iso(article.publishedAt()))
							.append("</published>\n")
							.append("    <updated>")
							.append(Dates.iso(article.updatedAt()))
							.append("</updated>\n");
						for (String tag : article.tags()) {
							xml.append("    <category term=\"").append(xml(tag)).append("\"/>\n");
						}
						if (!article.summary().isEmpty()) {
							xml.append("    <summary>").append(xml(article.summary())).append("</summary>\n");
						}
						xml.append("    <content type=\"html\">")
							.append(xml(article.bodyHtml()))
							.append("</content>\n")
							.append("  </entry>\n");
					}
					return Optional.of(xml.append("</feed>\n").toString());
				})
			.orElseThrow());
	}

	@GetMapping("/sitemap.xml")
	ResponseEntity<byte[]> sitemap(HttpServletRequest request) {
		String base = this.urls.base(request);
		return SitePages.send(this.cache
			.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request), "application/xml;charset=UTF-8", () -> {
				StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
					.append("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
				Instant modified = this.catalog.lastModified();
				for (String path : List.of("/", "/projects", "/articles", "/resume", "/contact", "/tags")) {
					url(xml, base + path, modified);
				}
				for (EntryKind kind : EntryKind.values()) {
					for (Entry entry : this.catalog.entries(kind)) {
						url(xml, base + entry.path(), entry.updatedAt());
					}
				}
				for (ContentCatalog.TagCount tag : this.catalog.tags()) {
					url(xml, base + "/tags/" + tag.tag(), null);
				}
				return Optional.of(xml.append("</urlset>\n").toString());
			})
			.orElseThrow());
	}

	@GetMapping("/robots.txt")
	ResponseEntity<byte[]> robots(HttpServletRequest request) {
		String base = this.urls.base(request);
		return SitePages.send(this.cache.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request),
				"text/plain;charset=UTF-8",
				() -> Optional.of("User-agent: *\nDisallow: /admin\nDisallow: /monitor\nDisallow: /login\n\nSitemap: "
						+ base + "/sitemap.xml\n"))
			.orElseThrow());
	}

	private static void url(StringBuilder xml, String location, Instant modified) {
		xml.append("  <url><loc>").append(xml(location)).append("</loc>");
		if (modified != null) {
			xml.append("<lastmod>").append(Dates.iso(modified)).append("</lastmod>");
		}
		xml.append("</url>\n");
	}

	private static String xml(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
