package dev.vitrine.site;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps this web replica's page cache in step with the content: LISTENs for the
 * notifications {@link ContentChangeNotifier} sends and drops the cached pages on each.
 * While the connection is down the cache is off, so no replica serves a stale page.
 */
class ContentChanges implements SmartLifecycle {

	static final String CHANNEL = "vitrine_content";

	private static final Logger log = LoggerFactory.getLogger(ContentChanges.class);

	private final DataSource dataSource;

	private final PageCache cache;

	private volatile Thread listener;

	ContentChanges(DataSource dataSource, PageCache cache) {
		this.dataSource = dataSource;
		this.cache = cache;
	}

	@Override
	public void start() {
		Thread thread = Thread.ofPlatform().name("content-changes").daemon().unstarted(this::listen);
		this.listener = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = this.listener;
		this.listener = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.listener != null;
	}

	private void listen() {
		while (this.listener == Thread.currentThread()) {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("LISTEN " + CHANNEL);
				// changes made while not listening were missed: start clean
				this.cache.enable();
				PGConnection postgres = connection.unwrap(PGConnection.class);
				while (this.listener == Thread.currentThread()) {
					PGNotification[] notifications = postgres.getNotifications(5000);
					if (notifications != null && notifications.length > 0) {
						this.cache.clear();
						log.debug("Site: {} content change(s), page cache cleared", notifications.length);
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (this.listener != Thread.currentThread()) {
					return;
				}
				log.warn("Site: not hearing of content changes ({}); serving pages uncached until it recovers",
						ex.getMessage());
				this.cache.disable();
				try {
					Thread.sleep(2000);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

}
