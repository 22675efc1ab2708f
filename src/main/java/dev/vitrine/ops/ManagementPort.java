package dev.vitrine.ops;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The management port of a process that serves pages: a second connector of the one
 * Tomcat, not a second server. Spring Boot's own ({@code management.server.port}) is a
 * child application context with a Tomcat, a dispatcher servlet and threads of its own,
 * started after everything else and before the process is ready: 0.55 s of one loaded
 * start by its log (BENCHMARKS.md, "Lean web, part 2"). The split stays as it was: the
 * management port answers {@code /actuator/**} only; the public port answers everything
 * else and, of the actuator, the three health probes only, never metrics, info or a
 * health component.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole({ Role.WEB, Role.MONITOR })
class ManagementPort {

	/** Of the actuator, what load balancers and orchestrators ask on the public port. */
	private static final Set<String> PUBLIC_PROBES = Set.of("/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness");

	@Bean
	ManagementConnector managementConnector(Environment environment) {
		Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
		connector.setPort(RoleEnvironmentPostProcessor.managementPort(environment));
		String address = environment.getProperty(RoleEnvironmentPostProcessor.MANAGEMENT_ADDRESS.property());
		if (address != null && !address.isBlank()) {
			connector.setProperty("address", address);
		}
		// a scrape every few seconds: no pool of idle threads kept for it
		connector.setProperty("minSpareThreads", "1");
		connector.setProperty("maxThreads", "8");
		return new ManagementConnector(connector);
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementConnectorOnTheServer(
			ManagementConnector management) {
		return (factory) -> factory.addAdditionalConnectors(management.connector());
	}

	/**
	 * First of all filters, so that no page, session or CSRF cookie is ever made for a
	 * request on the wrong port.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> portSplit(ManagementConnector management) {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						if (management.answers(request)) {
							chain.doFilter(request, response);
						}
						else {
							response.sendError(HttpServletResponse.SC_NOT_FOUND);
						}
					}

				});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * {@code local.management.port}, as Spring Boot's management server publishes it: the
	 * port actually bound when the setting is 0.
	 */
	@Bean
	ApplicationListener<ApplicationStartedEvent> managementPortPublisher(ManagementConnector management) {
		return (event) -> ((ConfigurableEnvironment) event.getApplicationContext().getEnvironment())
			.getPropertySources()
			.addFirst(new MapPropertySource("vitrineManagementPort",
					Map.of("local.management.port", management.connector().getLocalPort())));
	}

	/**
	 * The path a filter should judge: the servlet path, decoded and normalised by Tomcat
	 * (no "..", no ";params"), not the raw URI; the security firewall after the filters
	 * refuses any URI where the two differ.
	 */
	static String pathOf(HttpServletRequest request) {
		return request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
	}

	record ManagementConnector(Connector connector) {

		/** Whether the port the request came in on answers its path. */
		boolean answers(HttpServletRequest request) {
			String path = pathOf(request);
			boolean actuator = path.equals("/actuator") || path.startsWith("/actuator/");
			if (request.getLocalPort() == this.connector.getLocalPort()) {
				return actuator;
			}
			return !actuator || PUBLIC_PROBES.contains(path);
		}

	}

}
