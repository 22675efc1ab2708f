package dev.vitrine.support;

import java.util.ArrayList;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.TestPostgres;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application started in this JVM for tests that drive it over real HTTP: on a free
 * port (and a free management port), against a new database of the shared test
 * PostgreSQL, with the given settings (roles, admin account, mail...) on top.
 */
public final class RunningApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private RunningApp(ConfigurableApplicationContext context, int port) {
		this.context = context;
		this.port = port;
	}

	/**
	 * Starts the app on a new database named after {@code database}, migrated first (a
	 * web process does not migrate: its deploy's worker does).
	 * @param properties further settings, e.g. {@code "vitrine.roles=web"}
	 */
	public static RunningApp start(String database, String... properties) {
		return startOn(TestPostgres.newMigratedDatabase(database), properties);
	}

	/**
	 * Starts the app on this database, which must have its schema.
	 * @param properties further settings, e.g. {@code "vitrine.roles=web"}
	 */
	public static RunningApp startOn(String url, String... properties) {
		int port = Http.freePort();
		List<String> settings = new ArrayList<>(List.of("vitrine.db.url=" + url,
				"vitrine.db.user=" + TestPostgres.user(), "server.port=" + port, "vitrine.management.port=0"));
		settings.addAll(List.of(properties));
		return new RunningApp(
				new SpringApplicationBuilder(VitrineApplication.class).properties(settings.toArray(String[]::new))
					.run(),
				port);
	}

	public int port() {
		return this.port;
	}

	/**
	 * Where metrics and {@code /actuator/info} are: the management port of a process that
	 * serves pages, else its only port.
	 */
	public int managementPort() {
		String management = this.context.getEnvironment().getProperty("local.management.port");
		return (management != null) ? Integer.parseInt(management) : this.port;
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Every bean of this type, by name. */
	public <T> java.util.Map<String, T> beans(Class<T> type) {
		return this.context.getBeansOfType(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
