package dev.vitrine.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.Schema;
import dev.vitrine.ops.TestPostgres;
import org.awaitility.Awaitility;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
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
		ConfigurableApplicationContext context = new SpringApplicationBuilder(VitrineApplication.class)
			.properties(settings.toArray(String[]::new))
			.run();
		awaitSchemaWork(context);
		return new RunningApp(context, port);
	}

	/**
	 * Waits for what a web process does once it has found the schema current (the demo
	 * content, the owner account): on its schema-check thread, which may finish after the
	 * context started, as on a loaded machine. The schema's health is UP once that work
	 * is done; a process that migrates did it before its context started.
	 */
	private static void awaitSchemaWork(ConfigurableApplicationContext context) {
		if (!(context.getBean(Schema.class) instanceof HealthIndicator schema)) {
			return;
		}
		try {
			Awaitility.await("the schema's start-up work")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> Status.UP.equals(schema.health().getStatus()));
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
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
