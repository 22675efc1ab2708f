package dev.vitrine.ops;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One real PostgreSQL server for the whole test JVM (the same embedded server the
 * application runs), with its data under {@code target/}. Tests point the application at
 * it with {@code vitrine.db.url}; the URLs carry the server's password as a parameter, so
 * whatever connects with one (the app, a test's own connection) is let in.
 */
public final class TestPostgres {

	private static EmbeddedPostgres server;

	private TestPostgres() {
	}

	public static synchronized String jdbcUrl() {
		if (server == null) {
			try {
				server = EmbeddedPostgres.start(TestDirectories.fresh("test-postgres"), 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
			// tests on this database may start web processes, which do not migrate
			migrate(server.jdbcUrl() + "?password=" + server.password(), user(), null);
		}
		return server.jdbcUrl() + "?password=" + server.password();
	}

	public static String user() {
		return EmbeddedPostgres.SUPERUSER;
	}

	/** Creates an empty database on the shared server and returns its JDBC URL. */
	public static String newDatabase(String name) {
		return newDatabase(name, "");
	}

	/**
	 * Creates an empty database with these {@code CREATE DATABASE} options (a locale,
	 * say) and returns its JDBC URL.
	 */
	public static String newDatabase(String name, String options) {
		String base = jdbcUrl();
		String database = name.replaceAll("[^a-z0-9_]", "_") + "_" + Long.toHexString(System.nanoTime());
		try (var connection = java.sql.DriverManager.getConnection(base, user(), null);
				var statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database + " " + options);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		int query = base.indexOf('?');
		return base.substring(0, base.lastIndexOf('/', query) + 1) + database + base.substring(query);
	}

	/**
	 * Creates a database on the shared server with the schema of this code, as a deploy's
	 * worker (or {@code java -jar vitrine.jar migrate}) leaves it, for a web process,
	 * which does not migrate; returns its JDBC URL.
	 */
	public static String newMigratedDatabase(String name) {
		String url = newDatabase(name);
		migrate(url, user(), null);
		return url;
	}

	/** Brings a database to this code's schema, as the worker does at start. */
	public static void migrate(String url, String user, String password) {
		org.flywaydb.core.Flyway.configure()
			.dataSource(url, user, password)
			.locations("classpath:db/migration")
			.load()
			.migrate();
	}

	/** Properties that point the application at this server. */
	public static String[] properties() {
		return new String[] { "vitrine.db.url=" + jdbcUrl(), "vitrine.db.user=" + user() };
	}

}
