package dev.vitrine.site;

import java.time.Duration;

import javax.sql.DataSource;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.jobs.JobType;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.ops.Role;
import dev.vitrine.ops.Schema;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.UrlHandlerFilter;

@Configuration(proxyBeanMethods = false)
class SiteConfiguration {

	@Bean
	@ConditionalOnRole(Role.WEB)
	ContentChanges contentChanges(DatabaseNotifications notifications, PageCache cache, Schema schema) {
		return new ContentChanges(notifications, cache, schema);
	}

	/**
	 * Cached public pages answered before everything but forwarded headers: ahead of the
	 * request observation ({@code MIN_VALUE + 1}; an application filter of equal order
	 * sorts first), Spring Session ({@code MIN_VALUE + 50}) and Spring Security
	 * ({@code -100}).
	 */
	@Bean
	@ConditionalOnRole(Role.WEB)
	FilterRegistrationBean<CachedPageFilter> cachedPageFilter(PageCache cache, SiteUrls urls,
			@Value("${vitrine.security.hsts-max-age:365d}") Duration hstsMaxAge, MeterRegistry registry) {
		FilterRegistrationBean<CachedPageFilter> registration = new FilterRegistrationBean<>(
				new CachedPageFilter(cache, urls, hstsMaxAge, registry));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/**
	 * A page's address with a trailing slash ({@code /articles/}, {@code /articles/x/},
	 * as sites built with Hugo or Jekyll wrote them, and so links to a site moved here)
	 * is sent on to the address without it, permanently, its query kept. Only the public
	 * pages': {@code /health/} is the probes' address as it is.
	 */
	@Bean
	@ConditionalOnRole(Role.WEB)
	FilterRegistrationBean<UrlHandlerFilter> trailingSlashRedirects() {
		FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(UrlHandlerFilter
			.trailingSlashHandler("/articles/**", "/projects/**", "/tags/**", "/resume/**", "/contact/**")
			.redirect(HttpStatus.PERMANENT_REDIRECT)
			.build());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	/**
	 * The job type this module enqueues, declared in every process (not only where its
	 * handler runs), so any process can enqueue it by name.
	 */
	@Bean
	JobType<?> contactMailJobType() {
		return ContactMail.TYPE;
	}

	/**
	 * Behind a reverse proxy: client address, scheme and host from X-Forwarded-*, from
	 * trusted proxies only. Off by default. Switched on the registration, not by a
	 * condition: start-up code generated at build time fixes which beans exist
	 * (ops.AotStartupEnvironmentPostProcessor).
	 */
	@Bean
	FilterRegistrationBean<TrustedProxyFilter> trustedProxyFilter(ProxySettings settings) {
		FilterRegistrationBean<TrustedProxyFilter> registration = new FilterRegistrationBean<>(
				new TrustedProxyFilter(settings.ranges()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setEnabled(settings.forwardedHeaders());
		return registration;
	}

}
