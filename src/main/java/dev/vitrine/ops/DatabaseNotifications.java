package dev.vitrine.ops;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN} for the whole process, on one dedicated connection: modules
 * subscribe to a channel and hear its {@code NOTIFY}s (the job wake-up, the page cache's
 * content changes). When the connection is lost it reconnects with backoff and tells
 * every subscriber, both when it is lost and when it listens again: notifications sent in
 * between are gone, so a subscriber resyncs then (the worker looks for jobs, the page
 * cache starts clean). The thread and its connection exist only while someone subscribes;
 * a one-off command opens none.
 */
public final class DatabaseNotifications implements AutoCloseable {

	/** How its connection shows in {@code pg_stat_activity}. */
	public static final String APPLICATION_NAME = "vitrine-notifications";

	private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);

	/**
	 * How long one wait for notifications lasts: how soon a new channel is listened to.
	 */
	static final Duration WAIT = Duration.ofMillis(500);

	/**
	 * A quiet connection is checked this often, and given this long to answer, so that
	 * one cut without a word (a network gone, a firewall's dropped state) is noticed
	 * within their sum, and subscribers resync: until then, the page cache would keep
	 * pages whose changes it cannot hear.
	 */
	static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

	static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final Connector connector;

	private final Map<String, List<Subscription>> channels = new ConcurrentHashMap<>();

	private static volatile boolean driverWaitWarned;

	private Thread thread;

	private volatile boolean closed;

	/**
	 * @param connector opens the connection to listen on; called again after each loss
	 */
	public DatabaseNotifications(Connector connector) {
		this.connector = connector;
	}

	/**
	 * Subscribes to a channel until the subscription is closed. The subscriber hears
	 * {@link Listening} once the {@code LISTEN} is in effect (within about
	 * {@link #WAIT}), then each notification, and {@link Lost} and {@link Listening}
	 * again around a reconnect. Events come on the listener's thread, one at a time: a
	 * subscriber must not block it.
	 * @param channel a PostgreSQL identifier: lower-case letters, digits and underscores
	 */
	public synchronized Subscription subscribe(String channel, Subscriber subscriber) {
		if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("not a channel name: " + channel);
		}
		if (this.closed) {
			throw new IllegalStateException("closed");
		}
		Subscription subscription = new Subscription(channel, subscriber);
		this.channels.computeIfAbsent(channel, (name) -> new CopyOnWriteArrayList<>()).add(subscription);
		if (this.thread == null) {
			this.thread = Thread.ofPlatform().name("db-notifications").daemon().start(this::run);
		}
		return subscription;
	}

	/** Stops listening and closes the connection. */
	@Override
	public void close() {
		Thread running;
		synchronized (this) {
			this.closed = true;
			running = this.thread;
		}
		if (running != null) {
			running.interrupt();
			try {
				running.join(WAIT.multipliedBy(4).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		Duration backoff = FIRST_BACKOFF;
		boolean lostLogged = false;
		while (!this.closed) {
			try (Connection connection = this.connector.connect()) {
				// every read but the wait for notifications, which sets its own
				connection.setNetworkTimeout(Runnable::run, Math.toIntExact(CHECK_TIMEOUT.toMillis()));
				skipDriverWait(connection);
				Set<String> listening = new HashSet<>();
				sync(connection, listening);
				if (lostLogged) {
					log.info("Database notifications: listening again on {}", listening);
					lostLogged = false;
				}
				backoff = FIRST_BACKOFF;
				listen(connection, listening);
			}
			catch (SQLException | RuntimeException ex) {
				if (this.closed) {
					return;
				}
				tellLost(ex.getMessage());
				if (!lostLogged) {
					log.warn("Database notifications: not connected ({}); trying again, backing off up to {} s",
							ex.getMessage(), MAX_BACKOFF.toSeconds());
					lostLogged = true;
				}
				else {
					log.debug("Database notifications: still not connected ({})", ex.getMessage());
				}
				if (!sleep(backoff)) {
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	/** Waits for notifications and hands them out until the connection fails. */
	private void listen(Connection connection, Set<String> listening) throws SQLException {
		PGConnection postgres = connection.unwrap(PGConnection.class);
		long lastHeard = System.nanoTime();
		while (!this.closed) {
			PGNotification[] notifications = postgres.getNotifications((int) WAIT.toMillis());
			if (notifications != null && notifications.length > 0) {
				lastHeard = System.nanoTime();
				for (PGNotification notification : notifications) {
					deliver(notification.getName(), new Notified(notification.getParameter()));
				}
			}
			else if (System.nanoTime() - lastHeard > CHECK_INTERVAL.toNanos()) {
				// a dead network cuts a connection silently: only using it tells
				try (Statement statement = connection.createStatement()) {
					statement.execute("SELECT 1");
				}
				lastHeard = System.nanoTime();
			}
			sync(connection, listening);
		}
	}

	/**
	 * Turns off the driver's 1 ms wait after each notification. After reading one,
	 * pgjdbc's {@code getNotifications(timeout)} looks for more by reading with a 1 ms
	 * socket timeout. Its once-a-second limit on that look is only set when the read
	 * finds nothing, never when it times out, so every notification reached its
	 * subscriber 1.1 ms late (strace of the listener; a third of a job's wait from
	 * enqueue to start, BENCHMARKS.md). With the next look put off for good, the driver
	 * takes what it has already received; a later notification is read by the next wait,
	 * as soon as it arrives. Reflection on a private field: when a driver version lacks
	 * it, notifications still arrive, 1 ms later, and the log says so.
	 * @return whether the wait is off
	 */
	static boolean skipDriverWait(Connection connection) {
		try {
			Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
			Object stream = field(executor.getClass(), "pgStream").get(executor);
			field(stream.getClass(), "nextStreamAvailableCheckTime").setLong(stream, Long.MAX_VALUE);
			return true;
		}
		catch (ReflectiveOperationException | SQLException | RuntimeException ex) {
			if (!driverWaitWarned) {
				driverWaitWarned = true;
				log.warn("Database notifications: could not turn off the PostgreSQL driver's 1 ms wait after "
						+ "each notification ({}); job wake-ups arrive about 1 ms later", ex.toString());
			}
			return false;
		}
	}

	private static Field field(Class<?> type, String name) throws NoSuchFieldException {
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			try {
				Field field = c.getDeclaredField(name);
				field.setAccessible(true);
				return field;
			}
			catch (NoSuchFieldException ex) {
				// declared further up
			}
		}
		throw new NoSuchFieldException(type.getName() + "." + name);
	}

	/**
	 * LISTENs to channels subscribed since the last look, UNLISTENs those nobody wants
	 * any more, and tells new subscribers they are heard.
	 */
	private void sync(Connection connection, Set<String> listening) throws SQLException {
		for (Map.Entry<String, List<Subscription>> channel : this.channels.entrySet()) {
			boolean wanted = channel.getValue().stream().anyMatch((subscription) -> !subscription.closed);
			if (wanted && listening.add(channel.getKey())) {
				execute(connection, "LISTEN " + channel.getKey());
			}
			else if (!wanted && listening.remove(channel.getKey())) {
				execute(connection, "UNLISTEN " + channel.getKey());
			}
			channel.getValue().removeIf((subscription) -> subscription.closed);
		}
		for (String channel : listening) {
			for (Subscription subscription : this.channels.getOrDefault(channel, List.of())) {
				if (!subscription.heard) {
					subscription.heard = true;
					subscription.tell(new Listening());
				}
			}
		}
	}

	private void tellLost(String reason) {
		for (List<Subscription> subscriptions : this.channels.values()) {
			for (Subscription subscription : subscriptions) {
				if (subscription.heard) {
					subscription.heard = false;
					subscription.tell(new Lost((reason != null) ? reason : "no reason given"));
				}
			}
		}
	}

	private void deliver(String channel, Event event) {
		for (Subscription subscription : this.channels.getOrDefault(channel, List.of())) {
			if (subscription.heard) {
				subscription.tell(event);
			}
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static boolean sleep(Duration duration) {
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			return false;
		}
	}

	/** Opens a connection to listen on. */
	@FunctionalInterface
	public interface Connector {

		Connection connect() throws SQLException;

	}

	/** Hears the events of one subscription, on the listener's thread. */
	@FunctionalInterface
	public interface Subscriber {

		void on(Event event);

	}

	/** What a subscriber hears. */
	public sealed interface Event {

	}

	/** A {@code NOTIFY} on the channel, with its payload (empty when it had none). */
	public record Notified(String payload) implements Event {
	}

	/**
	 * The channel is listened to: first after subscribing, then after each reconnect.
	 * Notifications sent before were not heard.
	 */
	public record Listening() implements Event {
	}

	/** The connection was lost: nothing is heard until the next {@link Listening}. */
	public record Lost(String reason) implements Event {
	}

	/** One subscriber on one channel; closing it stops the events. */
	public static final class Subscription implements AutoCloseable {

		private final String channel;

		private final Subscriber subscriber;

		private volatile boolean closed;

		/** Told {@link Listening} on the current connection. */
		private volatile boolean heard;

		private Subscription(String channel, Subscriber subscriber) {
			this.channel = channel;
			this.subscriber = subscriber;
		}

		public String channel() {
			return this.channel;
		}

		@Override
		public void close() {
			this.closed = true;
		}

		private void tell(Event event) {
			if (this.closed) {
				return;
			}
			try {
				this.subscriber.on(event);
			}
			catch (RuntimeException ex) {
				log.warn("Database notifications: a subscriber to {} failed on {}", this.channel, event, ex);
			}
		}

	}

}
