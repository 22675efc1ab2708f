package dev.vitrine.site;

import java.util.Objects;

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

	/** The route that matched, e.g. {@code /articles/{slug}}, for request metrics. */
	static String uriTemplate(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : "UNKNOWN";
	}

	/**
	 * What a public page is cached under: the base URL (pages hold absolute links), the
	 * decoded path, and the one query parameter a page reads ({@code page} of
	 * {@code /articles}). Any other query string is left out, so it cannot add entries.
	 */
	String cacheKey(HttpServletRequest request) {
		String path = request.getServletPath() + Objects.requireNonNullElse(request.getPathInfo(), "");
		String query = "";
		if ("/articles".equals(path)) {
			String[] pages = request.getParameterValues("page");
			// several are one comma list to MVC, as here: no page number, never cached
			query = pageQuery((pages != null) ? String.join(",", pages) : null);
		}
		return base(request) + path + query;
	}

	/**
	 * {@code ?page=007} as {@code ?page=7}, page 1 as no query (one entry per page); what
	 * is not a page number stays as sent (answered 400, never cached).
	 */
	private static String pageQuery(String page) {
		if (page == null) {
			return "";
		}
		try {
			int number = Integer.parseInt(page);
			if (number >= 1) {
				return (number == 1) ? "" : "?page=" + number;
			}
		}
		catch (NumberFormatException ex) {
			// as sent
		}
		return "?page=" + page;
	}

}
