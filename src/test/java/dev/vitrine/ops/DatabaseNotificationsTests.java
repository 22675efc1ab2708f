package dev.vitrine.ops;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vitrine.ops.DatabaseNotifications.Event;
import dev.vitrine.ops.DatabaseNotifications.Listening;
import dev.vitrine.ops.DatabaseNotifications.Lost;
import dev.vitrine.ops.DatabaseNotifications.Notified;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LISTEN on one dedicated connection against the real PostgreSQL: subscribers hear their
 * channel's notifications, are told when the connection is lost and when it listens
 * again, and hear notifications after their connection was killed.
 */
class DatabaseNotificationsTests {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private static String url;

	private static SingleConnectionDataSource sender;

	private static JdbcClient jdbc;

	private DatabaseNotifications notifications;

	@BeforeAll
	static void database() {
		url = TestPostgres.newDatabase("notifications");
		sender = new SingleConnectionDataSource(url, TestPostgres.user(), null, true);
		jdbc = JdbcClient.create(sender);
	}

	@AfterEach
	void close() {
		if (this.notifications != null) {
			this.notifications.close();
		}
	}

	@Test
	void notificationsArriveAgainAfterTheListeningConnectionIsKilled() {
		this.notifications = new DatabaseNotifications(DatabaseNotificationsTests::connect);
		Heard heard = new Heard();
		this.notifications.subscribe("test_changes", heard::add);
		await().atMost(PATIENCE).until(() -> heard.count(Listening.class) == 1);
		send("test_changes", "before");
		await().atMost(PATIENCE).until(() -> heard.contains(new Notified("before")));

		assertThat(killListener()).as("listening connections killed").isEqualTo(1);

		await().atMost(PATIENCE).until(() -> heard.count(Listening.class) == 2);
		assertThat(heard.count(Lost.class)).as("told of the loss").isEqualTo(1);
		send("test_changes", "after");
		await().atMost(PATIENCE).until(() -> heard.contains(new Notified("after")));
		assertThat(heard.events()).as("in order")
			.containsSubsequence(new Notified("before"), new Listening(), new Notified("after"));
	}

	@Test
	void oneConnectionServesEveryChannelAndEachSubscriberHearsItsOwn() {
		this.notifications = new DatabaseNotifications(DatabaseNotificationsTests::connect);
		Heard jobs = new Heard();
		Heard content = new Heard();
		this.notifications.subscribe("test_jobs", jobs::add);
		this.notifications.subscribe("test_content", content::add);
		await().atMost(PATIENCE).until(() -> jobs.count(Listening.class) == 1 && content.count(Listening.class) == 1);

		send("test_jobs", "a job");
		send("test_content", "an article");

		await().atMost(PATIENCE).until(() -> content.contains(new Notified("an article")));
		// one session's notifications arrive in the order sent: the job's came first
		assertThat(jobs.events()).containsExactly(new Listening(), new Notified("a job"));
		assertThat(content.events()).containsExactly(new Listening(), new Notified("an article"));
		assertThat(listeners()).as("listening connections").isEqualTo(1);
	}

	@Test
	void theDriversWaitAfterEachNotificationIsTurnedOffOnTheDriverInUse() throws SQLException {
		// a driver upgrade that moves the field brings back 1 ms per wake-up: fail here
		try (Connection connection = connect()) {
			assertThat(DatabaseNotifications.skipDriverWait(connection)).isTrue();
		}
	}

	@Test
	void withoutTheDriversWaitEveryNotificationOfABurstAndOfASteadyStreamArrivesInOrder() {
		this.notifications = new DatabaseNotifications(DatabaseNotificationsTests::connect);
		Heard heard = new Heard();
		this.notifications.subscribe("test_burst", heard::add);
		await().atMost(PATIENCE).until(() -> heard.count(Listening.class) == 1);

		// one transaction: they reach the driver together, most in one read
		jdbc.sql("SELECT pg_notify('test_burst', 'burst ' || i) FROM generate_series(1, 500) i")
			.query((rs, row) -> 1)
			.list();
		for (int i = 1; i <= 100; i++) {
			send("test_burst", "single " + i);
		}

		await().atMost(PATIENCE).until(() -> heard.count(Notified.class) == 600);
		List<Event> expected = new ArrayList<>();
		expected.add(new Listening());
		for (int i = 1; i <= 500; i++) {
			expected.add(new Notified("burst " + i));
		}
		for (int i = 1; i <= 100; i++) {
			expected.add(new Notified("single " + i));
		}
		assertThat(heard.events()).containsExactlyElementsOf(expected);
	}

	@Test
	void aClosedSubscriptionHearsNothingMore() {
		this.notifications = new DatabaseNotifications(DatabaseNotificationsTests::connect);
		Heard gone = new Heard();
		Heard staying = new Heard();
		DatabaseNotifications.Subscription subscription = this.notifications.subscribe("test_gone", gone::add);
		this.notifications.subscribe("test_staying", staying::add);
		await().atMost(PATIENCE).until(() -> gone.count(Listening.class) == 1 && staying.count(Listening.class) == 1);

		subscription.close();
		send("test_gone", "unheard");
		send("test_staying", "heard");

		await().atMost(PATIENCE).until(() -> staying.contains(new Notified("heard")));
		assertThat(gone.events()).containsExactly(new Listening());
	}

	@Test
	void keepsTryingWhileTheDatabaseRefusesThenListens() {
		AtomicInteger attempts = new AtomicInteger();
		this.notifications = new DatabaseNotifications(() -> {
			if (attempts.incrementAndGet() <= 3) {
				throw new SQLException("refused on purpose");
			}
			return connect();
		});
		Heard heard = new Heard();
		this.notifications.subscribe("test_late", heard::add);

		await().atMost(PATIENCE).until(() -> heard.count(Listening.class) == 1);
		assertThat(attempts).hasValue(4);
		assertThat(heard.count(Lost.class)).as("never listened, so nothing was lost").isZero();
		send("test_late", "at last");
		await().atMost(PATIENCE).until(() -> heard.contains(new Notified("at last")));
	}

	@Test
	void aConnectionCutWithoutAWordIsNoticedAndListenedOnAgain() throws IOException {
		try (SilentCut network = new SilentCut(url)) {
			AtomicInteger connections = new AtomicInteger();
			// the first through the network that will be cut, the next straight
			this.notifications = new DatabaseNotifications(
					() -> (connections.incrementAndGet() == 1) ? connect(network.url()) : connect());
			Heard heard = new Heard();
			this.notifications.subscribe("test_cut", heard::add);
			await().atMost(PATIENCE).until(() -> heard.count(Listening.class) == 1);

			network.cut();

			// the driver's socket timeout, with none set in the URL, is none at all
			await().atMost(Duration.ofSeconds(60)).until(() -> heard.count(Listening.class) == 2);
			assertThat(heard.count(Lost.class)).as("told of the loss").isEqualTo(1);
			send("test_cut", "heard again");
			await().atMost(PATIENCE).until(() -> heard.contains(new Notified("heard again")));
		}
	}

	private static Connection connect() throws SQLException {
		return connect(url);
	}

	private static Connection connect(String url) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", TestPostgres.user());
		properties.setProperty("ApplicationName", DatabaseNotifications.APPLICATION_NAME);
		return DriverManager.getConnection(url, properties);
	}

	private static void send(String channel, String payload) {
		jdbc.sql("SELECT pg_notify(?, ?)").params(channel, payload).query((rs, row) -> 1).list();
	}

	private static int killListener() {
		return jdbc.sql("""
				SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = ?
				""").param(DatabaseNotifications.APPLICATION_NAME).query(Integer.class).single();
	}

	private static int listeners() {
		return jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = ?
				""").param(DatabaseNotifications.APPLICATION_NAME).query(Integer.class).single();
	}

	/** What one subscriber heard, in order. */
	private static final class Heard {

		private final List<Event> events = new CopyOnWriteArrayList<>();

		void add(Event event) {
			this.events.add(event);
		}

		List<Event> events() {
			return List.copyOf(this.events);
		}

		boolean contains(Event event) {
			return this.events.contains(event);
		}

		long count(Class<? extends Event> kind) {
			return this.events.stream().filter(kind::isInstance).count();
		}

	}

}
