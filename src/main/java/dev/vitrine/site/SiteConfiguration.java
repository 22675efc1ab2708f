package dev.vitrine.site;

import javax.sql.DataSource;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.ForwardedHeaderFilter;

@Configuration(proxyBeanMethods = false)
class SiteConfiguration {

	@Bean
	@ConditionalOnRole(Role.WEB)
	ContentChanges contentChanges(DataSource dataSource, PageCache cache) {
		return new ContentChanges(dataSource, cache);
	}

	/**
	 * Behind a reverse proxy: take scheme, host and client address from X-Forwarded-*.
	 * Off by default, since without a proxy any client could claim any address.
	 */
	@Bean
	@ConditionalOnBooleanProperty("vitrine.site.forwarded-headers")
	FilterRegistrationBean<ForwardedHeaderFilter> forwardedHeaderFilter() {
		FilterRegistrationBean<ForwardedHeaderFilter> registration = new FilterRegistrationBean<>(
				new ForwardedHeaderFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
