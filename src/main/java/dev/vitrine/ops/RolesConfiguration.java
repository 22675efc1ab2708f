package dev.vitrine.ops;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
		if (roles.servesPages()) {
			log.info("Roles: {} (HTTP port {} serves the {} and health; port {} metrics and info)", roles,
					environment.getProperty("server.port", "8080"), roles.has(Role.WEB) ? "site" : "monitor",
					RoleEnvironmentPostProcessor.managementPort(environment));
		}
		else {
			log.info("Roles: {} (HTTP port {} serves health, metrics and info only: VITRINE_MANAGEMENT_PORT)", roles,
					environment.getProperty("server.port"));
		}
		return roles;
	}

	@Bean
	Revision revision(Environment environment) {
		return Revision.from(environment);
	}

	@Bean
	InfoDetail rolesInfo(Roles roles, Revision revision) {
		List<String> active = roles.active().stream().sorted().map(Role::configName).toList();
		Map<String, Object> value = Map.of("roles", active, "revision", revision.value());
		return InfoDetail.of("vitrine", () -> value);
	}

}
