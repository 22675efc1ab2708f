package dev.vitrine.site;

import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.ops.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps this web replica's page cache in step with the content: hears the notifications
 * the database sends when a transaction that wrote to the content's tables commits (one
 * per transaction, from their triggers, V21) and drops the cached pages on each. While
 * they cannot be heard the cache is off, so no replica serves a stale page.
 */
class ContentChanges implements SmartLifecycle {

	static final String CHANNEL = "vitrine_content";

	private static final Logger log = LoggerFactory.getLogger(ContentChanges.class);

	private final DatabaseNotifications notifications;

	private final PageCache cache;

	private final Schema schema;

	private DatabaseNotifications.Subscription subscription;

	private boolean running;

	ContentChanges(DatabaseNotifications notifications, PageCache cache, Schema schema) {
		this.notifications = notifications;
		this.cache = cache;
		this.schema = schema;
	}

	/**
	 * Listens once the schema is current: hearing begins by reading the content's tables
	 * (and the cache stays off until then).
	 */
	@Override
	public synchronized void start() {
		this.running = true;
		this.schema.whenCurrent("listening for content changes", this::listen);
	}

	private synchronized void listen() {
		if (this.running && this.subscription == null) {
			this.subscription = this.notifications.subscribe(CHANNEL, this::on);
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		DatabaseNotifications.Subscription current = this.subscription;
		this.subscription = null;
		if (current != null) {
			current.close();
		}
		this.cache.disable();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	private void on(DatabaseNotifications.Event event) {
		switch (event) {
			case DatabaseNotifications.Notified notified -> {
				this.cache.clear();
				log.debug("Site: content changed ({}), page cache cleared", notified.payload());
			}
			// changes made while not listening were missed: start clean
			case DatabaseNotifications.Listening listening -> this.cache.enable();
			case DatabaseNotifications.Lost lost -> {
				this.cache.disable();
				log.warn("Site: not hearing of content changes ({}); serving pages uncached until it recovers",
						lost.reason());
			}
		}
	}

}
