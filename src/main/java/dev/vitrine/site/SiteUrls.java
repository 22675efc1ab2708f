package dev.vitrine.site;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The site's absolute base URL: {@code VITRINE_SITE_URL} when set, otherwise the address
 * the request came to (which honours X-Forwarded-* when
 * {@code VITRINE_SITE_FORWARDED_HEADERS=true}).
 */
@Component
class SiteUrls {

	private final SiteSettings settings;

	SiteUrls(SiteSettings settings) {
		this.settings = settings;
	}

	String base(HttpServletRequest request) {
		if (!this.settings.url().isEmpty()) {
			return this.settings.url();
		}
		// by hand rather than with a URI builder: this runs on every cached-page hit
		String scheme = request.getScheme();
		int port = request.getServerPort();
		boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443)
				|| port < 0;
		return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
	}

	/**
	 * What a public page is cached under: the base URL (pages hold absolute links) and
	 * the path and query as sent. Any odd query string gets its own entry, which the
	 * cache's size bound keeps in check.
	 */
	/** The route that matched, e.g. {@code /articles/{slug}}, for request metrics. */
	static String uriTemplate(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : "UNKNOWN";
	}

	String cacheKey(HttpServletRequest request) {
		String query = request.getQueryString();
		return base(request) + request.getRequestURI() + ((query != null) ? "?" + query : "");
	}

}
