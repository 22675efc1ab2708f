package dev.vitrine.ops;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes the active {@link Roles} and the {@link Revision} beans, logs the roles and shows
 * both in {@code /actuator/info}.
 */
@Configuration(proxyBeanMethods = false)
class RolesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RolesConfiguration.class);

	@Bean
	Roles roles(Environment environment) {
		Roles roles = Roles.from(environment);
		String http = roles.servesPages() ? "site/monitor, health and metrics"
				: "health and metrics only (VITRINE_MANAGEMENT_PORT)";
		log.info("Roles: {} (HTTP port {} serves {})", roles, environment.getProperty("server.port", "8080"), http);
		return roles;
	}

	@Bean
	Revision revision(Environment environment) {
		return Revision.from(environment);
	}

	@Bean
	InfoContributor rolesInfoContributor(Roles roles, Revision revision) {
		List<String> active = roles.active().stream().sorted().map(Role::configName).toList();
		return (builder) -> builder.withDetail("vitrine", Map.of("roles", active, "revision", revision.value()));
	}

}
