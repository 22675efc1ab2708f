package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upgrade from db-scheduler (schema V9) to our engine (V10): jobs waiting at the
 * upgrade survive it with their payload, attempts and due time, the history keeps its
 * rows under the new job numbers, and a worker of the new version runs them.
 */
class JobsMigrationTests {

	@Test
	void jobsWaitingInDbSchedulerSurviveTheUpgradeAndRun() {
		String url = TestPostgres.newDatabase("jobs_migration");
		Flyway.configure()
			.dataSource(url, TestPostgres.user(), null)
			.locations("classpath:db/migration")
			.target("9")
			.load()
			.migrate();
		JdbcClient old = JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null));
		// what db-scheduler stored: our JobData as JSON bytes, keyed by type and instance
		old.sql("""
				INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
				VALUES ('jobs.diagnostic', 'waiting', convert_to('{"payload":{"workMillis":0,"fail":false},"enqueuedAt":"2026-11-29T10:00:00Z","attempts":0}', 'UTF8'), now(), false, 1),
				       ('jobs.diagnostic', 'retrying', convert_to('{"payload":{"workMillis":0,"fail":false},"enqueuedAt":"2026-11-29T10:00:00Z","attempts":2}', 'UTF8'), now(), false, 3),
				       ('jobs.diagnostic', 'later', convert_to('{"payload":{"workMillis":0,"fail":false},"enqueuedAt":"2026-11-29T10:00:00Z","attempts":0}', 'UTF8'), now() + interval '1 day', false, 1),
				       ('jobs.diagnostic', 'garbled', convert_to('not JSON', 'UTF8'), now() + interval '1 day', false, 1),
				       ('jobs.diagnostic', 'odd', convert_to('{"payload":{"workMillis":0,"fail":false},"enqueuedAt":"someday","attempts":"many"}', 'UTF8'), now() + interval '1 day', false, 1)
				""")
			.update();
		old.sql("""
				INSERT INTO job_run (job_id, job_type, payload, attempt, outcome, retry_at, enqueued_at, finished_at)
				VALUES ('retrying', 'jobs.diagnostic', '{"workMillis":0,"fail":false}', 1, 'failed', now(), now(), now()),
				       ('retrying', 'jobs.diagnostic', '{"workMillis":0,"fail":false}', 2, 'failed', now(), now(), now()),
				       ('long-gone', 'jobs.diagnostic', '{"workMillis":0,"fail":false}', 1, 'succeeded', NULL, now(), now())
				""")
			.update();

		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false")
			.run()) {
			JdbcClient jdbc = worker.getBean(JdbcClient.class);
			Map<String, Object> later = jdbc.sql("SELECT * FROM job WHERE unique_key = 'later'").query().singleRow();
			assertThat(later).containsEntry("state", "pending").containsEntry("attempt", 0);
			assertThat(later.get("payload").toString()).contains("workMillis");
			assertThat(
					jdbc.sql("SELECT payload::text FROM job WHERE unique_key = 'garbled'").query(String.class).single())
				.as("unreadable data is kept for the worker to fail with the reason")
				.isEqualTo("\"unreadable db-scheduler data\"");
			assertThat(jdbc.sql("SELECT count(*) FROM job WHERE unique_key = 'odd'").query(Integer.class).single())
				.as("a row whose attempts are not a number moves over too")
				.isOne();

			await().atMost(Duration.ofSeconds(20))
				.until(() -> jdbc.sql("SELECT count(*) FROM job WHERE unique_key IN ('waiting', 'retrying')")
					.query(Integer.class)
					.single() == 0);
			List<Map<String, Object>> retrying = jdbc
				.sql("SELECT attempt, outcome, job_id FROM job_run WHERE unique_key = 'retrying' ORDER BY id")
				.query()
				.listOfRows();
			assertThat(retrying).extracting((row) -> row.get("outcome"))
				.containsExactly("failed", "failed", "succeeded");
			assertThat(retrying.getLast()).as("the attempts counted before the upgrade go on")
				.containsEntry("attempt", 3);
			assertThat(retrying).extracting((row) -> row.get("job_id"))
				.as("one job number across the upgrade")
				.containsOnly(retrying.getFirst().get("job_id"));
			assertThat(jdbc.sql("SELECT outcome FROM job_run WHERE unique_key = 'waiting'").query(String.class).list())
				.containsExactly("succeeded");
			assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE unique_key = 'long-gone' AND job_id IS NOT NULL")
				.query(Integer.class)
				.single()).isOne();
			assertThat(jdbc.sql("SELECT to_regclass('scheduled_tasks') IS NULL").query(Boolean.class).single())
				.isTrue();
		}
	}

}
