package dev.vitrine.ops;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A start that failed because the database would not take a connection, told in one
 * sentence with the settings to check. Spring's own report is a chain of five bean
 * creation errors (the first bean that needed a connection, its factory, Flyway, the
 * pool, the driver) that names no setting; the driver's message at its end is the one
 * that says what went wrong, and is free of the URL's password.
 *
 * @param problem what the driver said, with what kind of failure it is
 * @param action the settings to check
 */
record DatabaseUnreachable(String problem, String action) {

	private static final Setting URL = Setting.of("vitrine.db.url");

	private static final Setting USER = Setting.of("vitrine.db.user");

	private static final Setting PASSWORD = Setting.of("vitrine.db.password");

	/**
	 * The database failure somewhere in this chain of causes, if it is one of connecting:
	 * a host or port that does not answer, a name that does not resolve, a refused login
	 * or a database that does not exist.
	 */
	static Optional<DatabaseUnreachable> in(Throwable failure) {
		// the driver wraps a name that does not resolve in a connection failure (08001)
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnknownHostException) {
				return Optional.of(new DatabaseUnreachable(
						"Could not connect to the database: unknown host " + cause.getMessage() + ".",
						"Check the host in " + URL.envVar() + "."));
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				String said = "Could not connect to the database: " + sql.getMessage();
				if (state.startsWith("08")) {
					return Optional.of(new DatabaseUnreachable(said,
							"Check the host and port in " + URL.envVar()
									+ ", and that PostgreSQL is running and accepts connections from this machine"
									+ " (without " + URL.envVar()
									+ ", the embedded database's messages above say why it did not)."));
				}
				if (state.equals("28P01")) {
					return Optional.of(new DatabaseUnreachable(said, "Check " + USER.envVar() + " and "
							+ PASSWORD.envVar() + " (or the user and password in " + URL.envVar() + ")."));
				}
				if (state.startsWith("28")) {
					// no such role, or no pg_hba.conf line lets it in from here
					return Optional
						.of(new DatabaseUnreachable(said, "Check " + USER.envVar() + " (or the user in " + URL.envVar()
								+ "), and that the server's pg_hba.conf lets that user connect from this machine."));
				}
				if (state.equals("3D000")) {
					return Optional.of(new DatabaseUnreachable(said,
							"Check the database name in " + URL.envVar() + ", or create that database."));
				}
			}
		}
		return Optional.empty();
	}

}
