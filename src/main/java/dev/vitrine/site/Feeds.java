package dev.vitrine.site;

import java.time.Instant;
import java.util.ArrayList;
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

/**
 * The Atom feed of articles, the sitemap and robots.txt: for readers and crawlers. The
 * feed and sitemap are jte templates ({@code site/feed.jte}, {@code site/sitemap.jte}),
 * whose HTML escaping is also correct XML escaping.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class Feeds {

	static final int FEED_SIZE = 20;

	private final ContentCatalog catalog;

	private final PageCache cache;

	private final SiteUrls urls;

	private final Templates templates;

	Feeds(ContentCatalog catalog, PageCache cache, SiteUrls urls, Templates templates) {
		this.catalog = catalog;
		this.cache = cache;
		this.urls = urls;
		this.templates = templates;
	}

	@GetMapping("/feed.xml")
	ResponseEntity<byte[]> feed(HttpServletRequest request) {
		String base = this.urls.base(request);
		return SitePages.send(this.cache.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request),
				"application/atom+xml;charset=UTF-8", () -> {
					String owner = this.catalog.profile().map(Profile::name).orElse("Portfolio");
					List<Entry> articles = this.catalog.latest(EntryKind.ARTICLE, FEED_SIZE);
					// the site's last change: taking the newest article back
					// moves it on, as Last-Modified, never back
					Instant updated = this.catalog.lastModified();
					return Optional.of(this.templates.feed(owner, base, updated, articles));
				})
			.orElseThrow());
	}

	@GetMapping("/sitemap.xml")
	ResponseEntity<byte[]> sitemap(HttpServletRequest request) {
		String base = this.urls.base(request);
		return SitePages.send(this.cache
			.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request), "application/xml;charset=UTF-8", () -> {
				List<SitemapUrl> urls = new ArrayList<>();
				Instant modified = this.catalog.lastModified();
				for (String path : List.of("/", "/projects", "/articles", "/resume", "/contact", "/tags")) {
					urls.add(new SitemapUrl(base + path, modified));
				}
				for (EntryKind kind : EntryKind.values()) {
					for (Entry entry : this.catalog.entries(kind)) {
						urls.add(new SitemapUrl(base + entry.path(), entry.revisedAt()));
					}
				}
				for (ContentCatalog.TagCount tag : this.catalog.tags()) {
					urls.add(new SitemapUrl(base + "/tags/" + tag.tag(), null));
				}
				return Optional.of(this.templates.sitemap(urls));
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

}
