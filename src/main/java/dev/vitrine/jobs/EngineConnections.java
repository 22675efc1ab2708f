package dev.vitrine.jobs;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A small pool beside the application's, for the worker engine's threads: the fetcher,
 * completer, keeper and an occasional vacuum take one connection each at most (LISTEN has
 * its own, see {@link dev.vitrine.ops.DatabaseNotifications}). Its sessions run with
 * {@code synchronous_commit} off: claims, outcomes and heartbeats then commit without
 * waiting for the disk, and one lost to a database crash only makes a job run again
 * (enqueues keep the caller's own setting).
 */
final class EngineConnections implements AutoCloseable {

	private final DataSource dataSource;

	private final AutoCloseable owned;

	private EngineConnections(DataSource dataSource, AutoCloseable owned) {
		this.dataSource = dataSource;
		this.owned = owned;
	}

	static EngineConnections from(DataSource application) {
		if (!(application instanceof HikariDataSource hikari)) {
			return new EngineConnections(application, null);
		}
		HikariConfig config = new HikariConfig();
		hikari.copyStateTo(config);
		config.setPoolName(hikari.getPoolName() + "-jobs");
		config.setMaximumPoolSize(4);
		config.setMinimumIdle(1);
		// a lock held by a stuck transaction must not stop heartbeats or outcomes
		// for good: the statement fails and is tried again
		config.setConnectionInitSql("SET synchronous_commit = off; SET lock_timeout = '10s'");
		HikariDataSource engine = new HikariDataSource(config);
		return new EngineConnections(engine, engine);
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	@Override
	public void close() throws Exception {
		if (this.owned != null) {
			this.owned.close();
		}
	}

}
