package dev.vitrine.site;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

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
		return ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString();
	}

}
