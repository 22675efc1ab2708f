package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.TestJobHandlers.Note;
import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.ops.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.vitrine.jobs.TestJobHandlers.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that polls only once a minute starts a job as soon as it is enqueued: the
 * NOTIFY wakes it, also after the connection it listens on was killed.
 */
class JobWakeUpTests {

	/** Well under the poll interval: only a wake-up starts a job this soon. */
	private static final Duration WOKEN = Duration.ofSeconds(20);

	private static ConfigurableApplicationContext app;

	private static Jobs jobs;

	private static JdbcClient jdbc;

	@BeforeAll
	static void startWorker() {
		app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("job_wake_up"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker", "vitrine.management.port=0",
					"vitrine.content.demo=false", "vitrine.jobs.poll-interval=60s")
			.run();
		jobs = app.getBean(Jobs.class);
		jdbc = app.getBean(JdbcClient.class);
	}

	@AfterAll
	static void stopWorker() {
		app.close();
	}

	@Test
	void aWorkerHearsNewJobsAgainAfterItsListeningConnectionIsKilled() {
		jobs.enqueue(TestJobHandlers.RECORD, new Note("woken"));
		await().atMost(WOKEN).until(() -> recorded.contains("woken"));

		List<Integer> killed = listeners(jdbc);
		assertThat(killed).hasSize(1);
		// one by one: in a WHERE clause it could run before the filter
		killed.forEach((pid) -> jdbc.sql("SELECT pg_terminate_backend(?)").param(pid).query(Boolean.class).single());
		await().atMost(WOKEN).until(() -> {
			List<Integer> listening = listeners(jdbc);
			return !listening.isEmpty() && !listening.containsAll(killed);
		});

		jobs.enqueue(TestJobHandlers.RECORD, new Note("woken after a reconnect"));
		await().atMost(WOKEN).until(() -> recorded.contains("woken after a reconnect"));
	}

	/** The pids of this database's listening connections. */
	private static List<Integer> listeners(JdbcClient jdbc) {
		return jdbc.sql("""
				SELECT pid FROM pg_stat_activity
				WHERE datname = current_database() AND application_name = ?
				""").param(DatabaseNotifications.APPLICATION_NAME).query(Integer.class).list();
	}

}
