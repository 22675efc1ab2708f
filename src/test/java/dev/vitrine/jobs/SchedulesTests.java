package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.TestJobHandlers.Note;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stored schedules fired by a scheduler in this JVM, with a worker running their jobs.
 */
class SchedulesTests {

	private static ConfigurableApplicationContext app;

	private static JdbcSchedules schedules;

	private static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("schedules_tests"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker,scheduler",
					"vitrine.content.demo=false", "vitrine.management.port=0")
			.run();
		schedules = app.getBean(JdbcSchedules.class);
		jdbc = app.getBean(JdbcClient.class);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void codeDefinedScheduleIsStoredOnceAndOperatorEditsSurviveARestart() {
		assertThat(view("jobs.history-retention").schedule())
			.isEqualTo(Schedule.cron("0 17 * * * *", ZoneId.of("UTC")));

		schedules.update("jobs.history-retention", Schedule.cron("0 0 4 * * *", ZoneId.of("Europe/Paris")),
				ScheduleDefinition.Misfire.SKIP, Duration.ZERO);
		schedules.storeDefault(HistoryRetentionJob.SCHEDULE);

		assertThat(view("jobs.history-retention").schedule().cron()).isEqualTo("0 0 4 * * *");
		assertThat(view("jobs.history-retention").nextFireAt().atZone(ZoneId.of("Europe/Paris")).getHour())
			.isEqualTo(4);
	}

	@Test
	void scheduleTheCodeNoLongerDefinesIsDisabledAtTheNextStart() {
		ScheduleDefinition<Note> removed = ScheduleDefinition.of("test.removed-from-code", TestJobHandlers.RECORD,
				new Note("removed"), Schedule.every(Duration.ofHours(1)));
		schedules.storeDefaults(List.of(HistoryRetentionJob.SCHEDULE, removed));
		assertThat(view("test.removed-from-code").enabled()).isTrue();

		// as a start of the next version, whose code lacks it
		schedules.storeDefaults(List.of(HistoryRetentionJob.SCHEDULE));

		assertThat(view("test.removed-from-code").enabled()).isFalse();
		assertThat(view("jobs.history-retention").enabled()).isTrue();
	}

	@Test
	void scheduleFiresEachFireTimeAndItsJobRuns() {
		schedules.storeDefault(ScheduleDefinition.of("test.every-second", TestJobHandlers.RECORD,
				new Note("every second"), Schedule.every(Duration.ofSeconds(1))));

		await().atMost(Duration.ofSeconds(10)).until(() -> firedJobs("test.every-second").size() >= 3);
		await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(view("test.every-second").lastOutcome()));
		assertThat(TestJobHandlers.recorded).contains("every second");

		schedules.setEnabled("test.every-second", false);
		int firedWhenDisabled = firedJobs("test.every-second").size();
		sleep(Duration.ofMillis(2500));
		assertThat(firedJobs("test.every-second")).hasSize(firedWhenDisabled);

		schedules.setEnabled("test.every-second", true);
		await().atMost(Duration.ofSeconds(5)).until(() -> firedJobs("test.every-second").size() > firedWhenDisabled);
		schedules.setEnabled("test.every-second", false);
	}

	@Test
	void runNowEnqueuesTheJobOutsideTheTimetable() {
		schedules.storeDefault(ScheduleDefinition.of("test.yearly", TestJobHandlers.RECORD, new Note("run now"),
				Schedule.cron("0 0 0 1 1 *", ZoneId.of("UTC"))));

		JobId id = schedules.runNow("test.yearly");

		await().atMost(Duration.ofSeconds(10)).until(() -> TestJobHandlers.recorded.contains("run now"));
		assertThat(view("test.yearly").lastJob()).isEqualTo(id);
		assertThat(view("test.yearly").nextFireAt()).isAfter(Instant.now().plus(Duration.ofDays(1)));
	}

	@Test
	void missedFireTimesAreSkippedOrRunOnceAccordingToThePolicy() {
		schedules.storeDefault(ScheduleDefinition.of("test.missed-skip", TestJobHandlers.RECORD, new Note("skip"),
				Schedule.every(Duration.ofMinutes(10))));
		schedules
			.storeDefault(new ScheduleDefinition<>("test.missed-run-once", TestJobHandlers.RECORD, new Note("run once"),
					Schedule.every(Duration.ofMinutes(10)), ScheduleDefinition.Misfire.RUN_ONCE, Duration.ofHours(2)));
		// as if no scheduler had run for an hour
		jdbc.sql(
				"UPDATE job_schedule SET next_fire_at = now() - interval '1 hour 5 minutes' WHERE name LIKE 'test.missed-%'")
			.update();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> view("test.missed-skip").nextFireAt().isAfter(Instant.now())
					&& view("test.missed-run-once").nextFireAt().isAfter(Instant.now()));
		await().atMost(Duration.ofSeconds(10)).until(() -> TestJobHandlers.recorded.contains("run once"));
		assertThat(firedJobs("test.missed-run-once")).hasSize(1);
		assertThat(firedJobs("test.missed-skip")).isEmpty();
		assertThat(TestJobHandlers.recorded).doesNotContain("skip");
	}

	@Test
	void historyRetentionDeletesAttemptsOlderThanTheRetentionPeriod() {
		jdbc.sql(
				"""
						INSERT INTO job_run (job_id, unique_key, job_type, attempt, outcome, enqueued_at, finished_at)
						VALUES (-1, 'old', 'test.record', 1, 'succeeded', now() - interval '30 days', now() - interval '30 days'),
						       (-2, 'recent', 'test.record', 1, 'succeeded', now() - interval '1 day', now() - interval '1 day')
						""")
			.update();

		schedules.runNow("jobs.history-retention");

		await().atMost(Duration.ofSeconds(10))
			.until(() -> jdbc.sql("SELECT count(*) FROM job_run WHERE unique_key = 'old'")
				.query(Integer.class)
				.single() == 0);
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE unique_key = 'recent'").query(Integer.class).single())
			.isOne();
	}

	@Test
	void workerAndSchedulerReportHealthyInReadiness() {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode readiness = Http.json(port, "/actuator/health/readiness");
			assertThat(readiness.at("/components/jobWorker/status").asString()).isEqualTo("UP");
			assertThat(readiness.at("/components/scheduler/status").asString()).isEqualTo("UP");
		});
	}

	private static ScheduleView view(String name) {
		return schedules.list().stream().filter((view) -> view.name().equals(name)).findFirst().orElseThrow();
	}

	/** Jobs a schedule enqueued at its fire times (pending, running or finished). */
	private static List<String> firedJobs(String schedule) {
		return jdbc.sql("""
				SELECT unique_key FROM job WHERE unique_key LIKE :prefix
				UNION SELECT unique_key FROM job_run WHERE unique_key LIKE :prefix
				""").param("prefix", schedule + "@%").query(String.class).list();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
