package dev.vitrine.ops;

import java.io.IOException;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The one {@link DataSource}: an external PostgreSQL when {@code VITRINE_DB_URL} is set,
 * otherwise the embedded one, which this configuration starts and stops.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	@Conditional(NoDatabaseUrl.class)
	EmbeddedPostgres embeddedPostgres(DataSettings data, DatabaseSettings database) throws IOException {
		return EmbeddedPostgres.start(data.dir(), database.embeddedPort());
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(DatabaseSettings settings, Optional<EmbeddedPostgres> embedded) {
		DatabaseSettings.ConnectionTarget target = embedded
			.map((server) -> new DatabaseSettings.ConnectionTarget(server.jdbcUrl(), server.user(), server.password()))
			.orElseGet(settings::externalTarget);
		if (embedded.isPresent()) {
			log.info("Database: embedded PostgreSQL {} at {}, data in {} (set VITRINE_DB_URL to use another)",
					embedded.get().serverVersion(), target.describe(), embedded.get().dataDirectory());
		}
		else {
			log.info("Database: external PostgreSQL at {}", target.describe());
		}
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setPoolName("vitrine");
		dataSource.setJdbcUrl(target.jdbcUrl());
		dataSource.setUsername(target.user());
		dataSource.setPassword(target.password());
		dataSource.setMaximumPoolSize(settings.poolSize());
		dataSource.setMinimumIdle(Math.min(2, settings.poolSize()));
		dataSource.setConnectionTimeout(settings.connectionTimeout().toMillis());
		dataSource.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 5000));
		return dataSource;
	}

	/**
	 * LISTEN for every module of the process, on one connection of its own beside the
	 * pool, so that waiting for notifications never takes a pooled connection.
	 */
	@Bean(destroyMethod = "close")
	DatabaseNotifications databaseNotifications(HikariDataSource dataSource, DatabaseSettings settings) {
		return new DatabaseNotifications(() -> {
			Properties properties = new Properties();
			if (dataSource.getUsername() != null) {
				properties.setProperty("user", dataSource.getUsername());
			}
			if (dataSource.getPassword() != null) {
				properties.setProperty("password", dataSource.getPassword());
			}
			properties.setProperty("ApplicationName", DatabaseNotifications.APPLICATION_NAME);
			properties.setProperty("connectTimeout",
					Long.toString(Math.max(1, settings.connectionTimeout().toSeconds())));
			// from the first byte: a server that takes the connection and then says
			// nothing (a cut network, a wedged proxy) holds a reconnect no longer than a
			// check; the wait for notifications sets its own
			properties.setProperty("socketTimeout", Long.toString(DatabaseNotifications.CHECK_TIMEOUT.toSeconds()));
			properties.setProperty("tcpKeepAlive", "true");
			return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
		});
	}

	static class NoDatabaseUrl extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("vitrine.db.url");
			return StringUtils.hasText(url) ? ConditionOutcome.noMatch("vitrine.db.url is set")
					: ConditionOutcome.match("vitrine.db.url is not set: embedded database");
		}

	}

}
