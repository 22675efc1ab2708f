package dev.vitrine.ops;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the database is ({@code VITRINE_DB_*}). Without a URL, Vitrine runs the embedded
 * PostgreSQL with its data under {@code vitrine.data.dir}.
 *
 * @param url {@code jdbc:postgresql://host:5432/db} or
 * {@code postgres://user:password@host:5432/db}; empty for the embedded database
 * @param user the user, unless the URL names one
 * @param password the password, unless the URL has one
 * @param poolSize connections in the pool, per process
 * @param connectionTimeout how long a request waits for a connection before it fails
 * (also bounds how long a health check waits on an unreachable database)
 * @param embeddedPort the embedded database's port; 0 picks a free one at each start
 */
@ConfigurationProperties("vitrine.db")
record DatabaseSettings(String url, String user, String password, @DefaultValue("10") int poolSize,
		@DefaultValue("5s") Duration connectionTimeout, @DefaultValue("0") int embeddedPort) {

	private static final Setting URL = Setting.of("vitrine.db.url");

	DatabaseSettings {
		if (url != null && !url.isBlank() && !url.strip().matches("(jdbc:postgresql|postgres|postgresql)://.+")) {
			throw URL.invalid(
					"must be a PostgreSQL URL such as jdbc:postgresql://db.example:5432/vitrine or postgres://user:password@db.example:5432/vitrine");
		}
		Setting.of("vitrine.db.pool-size").requireRange(poolSize, 1, 500);
		Setting.of("vitrine.db.connection-timeout").requireAtLeast(connectionTimeout, Duration.ofMillis(250));
		Setting.of("vitrine.db.embedded-port").requireRange(embeddedPort, 0, 65535);
	}

	private static final String PERCENT_ENCODE = "; percent-encode special characters in the user name and password"
			+ " (e.g. / as %2F, @ as %40, # as %23), or give them as VITRINE_DB_USER and VITRINE_DB_PASSWORD";

	boolean isExternal() {
		return this.url != null && !this.url.isBlank();
	}

	/**
	 * The URL, user and password to connect with; a {@code postgres://} URL is converted
	 * to JDBC.
	 */
	ConnectionTarget externalTarget() {
		if (this.url.startsWith("jdbc:")) {
			return new ConnectionTarget(this.url, this.user, this.password);
		}
		URI uri;
		try {
			uri = new URI(this.url);
		}
		catch (URISyntaxException ex) {
			// its message repeats the URL, password and all: say where, not what
			throw URL.invalid("not a valid URL (" + ex.getReason()
					+ ((ex.getIndex() >= 0) ? " at character " + (ex.getIndex() + 1) : "") + ")" + PERCENT_ENCODE);
		}
		// a password's unencoded '/', '?' or '#' ends the host early, and what follows it
		// would be taken for the database name (and logged as such)
		if (uri.getHost() == null || uri.getRawPath().contains("@")) {
			throw URL.invalid("the host cannot be told from the user and password" + PERCENT_ENCODE);
		}
		String user = this.user;
		String password = this.password;
		if (uri.getRawUserInfo() != null) {
			String[] userInfo = uri.getUserInfo().split(":", 2);
			user = userInfo[0];
			password = (userInfo.length > 1) ? userInfo[1] : password;
		}
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		String query = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
		return new ConnectionTarget("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, user,
				password);
	}

	record ConnectionTarget(String jdbcUrl, String user, String password) {

		/** The URL without credentials, for logs. */
		String describe() {
			int query = this.jdbcUrl.indexOf('?');
			return (query < 0) ? this.jdbcUrl : this.jdbcUrl.substring(0, query);
		}

	}

}
