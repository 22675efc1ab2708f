package dev.vitrine.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives the process's web settings from its roles before anything starts, because the
 * choice of port has to be made before the web server exists: a process without the web
 * or monitor role serves only health and metrics, on {@code VITRINE_MANAGEMENT_PORT}; one
 * with them serves its pages and health on {@code SERVER_PORT} and metrics and
 * {@code /actuator/info} on {@code VITRINE_MANAGEMENT_PORT}, never on the public port
 * (they show queue state, routes, the heap and the deployed revision). A monitor-only
 * process binds both to 127.0.0.1 unless {@code SERVER_ADDRESS} is set. Flyway is off
 * where {@link Migrations} says this process does not migrate. An invalid role list, or a
 * management port that is the public port, stops startup here.
 */
class RoleEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final Setting MANAGEMENT_PORT = Setting.of("vitrine.management.port");

	static final int DEFAULT_MANAGEMENT_PORT = 8081;

	/** The management port's address in a process that serves pages; unset: all. */
	static final Setting MANAGEMENT_ADDRESS = Setting.of("vitrine.management.address");

	/**
	 * Spring Boot's, which does nothing here (its management server is the actuator's,
	 * not in Vitrine): refused, naming ours.
	 */
	private static final Setting BOOT_MANAGEMENT_ADDRESS = Setting.of("management.server.address");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Roles roles = Roles.from(environment);
		int managementPort = managementPort(environment);
		Map<String, Object> overriding = new LinkedHashMap<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		if (!roles.servesPages()) {
			overriding.put("server.port", managementPort);
		}
		else {
			if (managementPort != 0 && managementPort == serverPort(environment)) {
				throw MANAGEMENT_PORT
					.invalid("'" + managementPort + "' is SERVER_PORT too, which would serve metrics and /actuator/info"
							+ " publicly; choose another port (default " + DEFAULT_MANAGEMENT_PORT + ")");
			}
			// served by a connector of the same Tomcat (ManagementPort), not by Spring
			// Boot's management server, a second context with a second Tomcat
			if (environment.containsProperty(BOOT_MANAGEMENT_ADDRESS.property())) {
				throw BOOT_MANAGEMENT_ADDRESS.invalid("the management port's address is " + MANAGEMENT_ADDRESS.envVar()
						+ " (" + MANAGEMENT_ADDRESS.property() + ") instead");
			}
		}
		if (roles.has(Role.MONITOR) && !roles.has(Role.WEB)) {
			defaults.put("server.address", "127.0.0.1");
			defaults.put(MANAGEMENT_ADDRESS.property(), environment.getProperty("server.address", "127.0.0.1"));
		}
		defaults.put("management.metrics.tags.roles", roles.toString());
		if (!Migrations.runIn(environment, roles)) {
			defaults.put(SchemaConfiguration.FLYWAY_ENABLED, "false");
		}
		environment.getPropertySources().addFirst(new MapPropertySource("vitrineRoles", overriding));
		environment.getPropertySources().addLast(new MapPropertySource("vitrineRoleDefaults", defaults));
	}

	static int managementPort(Environment environment) {
		String raw = Binder.get(environment).bind(MANAGEMENT_PORT.property(), String.class).orElse(null);
		if (raw == null || raw.isBlank()) {
			return DEFAULT_MANAGEMENT_PORT;
		}
		try {
			int port = Integer.parseInt(raw.strip());
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the valid range
		}
		throw MANAGEMENT_PORT.invalid("'" + raw + "' is not a port; valid values: 1-65535 (0 picks a free port)");
	}

	private static int serverPort(ConfigurableEnvironment environment) {
		try {
			return Binder.get(environment).bind("server.port", Integer.class).orElse(8080);
		}
		catch (RuntimeException ex) {
			// not a number: the web server reports it
			return -1;
		}
	}

	@Override
	public int getOrder() {
		// after config data (application.properties, env) has been loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

}
