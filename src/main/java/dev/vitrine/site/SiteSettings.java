package dev.vitrine.site;

import java.net.URI;
import java.time.Duration;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The public site's settings ({@code VITRINE_SITE_*}).
 *
 * @param url the site's public address, used for canonical links, feeds and the sitemap
 * (e.g. {@code https://ada.example}); empty = taken from each request
 * @param pageSize articles per list page
 * @param contactLimit contact messages one address may send per {@code contactWindow}
 * @param contactWindow see {@code contactLimit}
 * @param pageCacheSize the most page bytes kept in memory; {@code 0} keeps none
 */
@ConfigurationProperties("vitrine.site")
record SiteSettings(@DefaultValue("") String url, @DefaultValue("10") int pageSize, @DefaultValue("5") int contactLimit,
		@DefaultValue("1h") Duration contactWindow, @DefaultValue("32MB") DataSize pageCacheSize) {

	SiteSettings {
		url = url.strip().replaceAll("/+$", "");
		if (!url.isEmpty()) {
			URI uri;
			try {
				uri = URI.create(url);
			}
			catch (IllegalArgumentException ex) {
				uri = null;
			}
			if (uri == null || uri.getHost() == null
					|| !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
				throw Setting.of("vitrine.site.url")
					.invalid("'" + url + "' is not an absolute http(s) address such as https://ada.example");
			}
			if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
				// every link the site writes starts at its root
				throw Setting.of("vitrine.site.url")
					.invalid("'" + url + "' is more than a scheme, host and port: the site is served at the root"
							+ " of its address; give it one of its own, such as https://ada.example or"
							+ " https://portfolio.ada.example");
			}
		}
		if (pageSize < 1 || pageSize > 100) {
			throw Setting.of("vitrine.site.page-size").invalid(pageSize + " is not a number from 1 to 100");
		}
		if (pageCacheSize == null || pageCacheSize.isNegative()) {
			throw Setting.of("vitrine.site.page-cache-size").invalid("give a size such as 32MB, or 0 to keep no pages");
		}
		if (contactLimit < 1) {
			throw Setting.of("vitrine.site.contact-limit").invalid(contactLimit + " is not a number of at least 1");
		}
		// a window of 0 or less would count no messages: the limit silently off
		contactWindow = Setting.of("vitrine.site.contact-window").requireAtLeast(contactWindow, Duration.ofSeconds(1));
	}

}
