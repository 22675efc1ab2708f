package dev.vitrine.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

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
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stored schedules fired by a scheduler in this JVM, with a worker running their jobs.
 * The scheduler fires only what its code defines: here {@link TestSchedules} and the
 * application's own.
 */
class SchedulesTests {

	private static ConfigurableApplicationContext app;

	private static JdbcSchedules schedules;

	private static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class, TestSchedules.class)
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

		assertThat(view("test.removed-from-code").status()).isEqualTo(ScheduleView.Status.MISSING_FROM_CODE);
		assertThat(view("jobs.history-retention").enabled()).isTrue();
		// this process's scheduler does not define it either: due, it is not fired
		jdbc.sql("UPDATE job_schedule SET next_fire_at = now() WHERE name = 'test.removed-from-code'").update();
		sleep(Duration.ofMillis(2500));
		assertThat(firedJobs("test.removed-from-code")).isEmpty();
	}

	@Test
	void aScheduleDisabledByAVersionLackingItIsStillFiredByOneDefiningItAndEnabledAgainAtItsStart() {
		// a deploy's candidate whose code lacks history retention starts, and is refused
		schedules.storeDefaults(List.of());
		assertThat(view("jobs.history-retention").status()).isEqualTo(ScheduleView.Status.MISSING_FROM_CODE);

		// this process's scheduler, of the version still serving, defines it
		int before = firedJobs("jobs.history-retention").size();
		jdbc.sql("UPDATE job_schedule SET next_fire_at = now() WHERE name = 'jobs.history-retention'").update();
		await().atMost(Duration.ofSeconds(10)).until(() -> firedJobs("jobs.history-retention").size() > before);

		// the next start of that version enables it again, for every scheduler
		schedules.storeDefaults(List.of(HistoryRetentionJob.SCHEDULE));
		assertThat(view("jobs.history-retention").status()).isEqualTo(ScheduleView.Status.ENABLED);
		// but never one an operator disabled
		schedules.setEnabled("jobs.history-retention", false);
		schedules.storeDefaults(List.of(HistoryRetentionJob.SCHEDULE));
		assertThat(view("jobs.history-retention").status()).isEqualTo(ScheduleView.Status.DISABLED);
		schedules.setEnabled("jobs.history-retention", true);
	}

	@Test
	void anEditWaitingOnAFireInProgressCountsTheNextFireFromThatFire() throws Exception {
		String name = "jobs.history-retention";
		Schedule hourly = view(name).schedule();
		Instant fireTime = hourly.nextAfter(Instant.now());
		DataSource dataSource = app.getBean(DataSource.class);
		try (Connection firer = dataSource.getConnection()) {
			// what a scheduler does at that fire time, its transaction not yet committed
			firer.setAutoCommit(false);
			try (PreparedStatement fire = firer
				.prepareStatement("UPDATE job_schedule SET last_fire_at = ?, next_fire_at = ? WHERE name = ?")) {
				fire.setTimestamp(1, Timestamp.from(fireTime));
				fire.setTimestamp(2, Timestamp.from(hourly.nextAfter(fireTime)));
				fire.setString(3, name);
				fire.executeUpdate();
			}
			// the operator saves the schedule unchanged meanwhile
			Future<?> edit = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> schedules.update(name, hourly, ScheduleDefinition.Misfire.SKIP, Duration.ZERO));
			await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE wait_event_type = 'Lock' AND query LIKE '%job_schedule%'
					""").query(Integer.class).single() > 0);
			firer.commit();
			edit.get(10, TimeUnit.SECONDS);
		}

		assertThat(view(name).nextFireAt()).as("the next fire after the edit, not the one just fired")
			.isEqualTo(hourly.nextAfter(fireTime));
	}

	@Test
	void anEditThatLocksADueScheduleBeforeTheSchedulerLeavesThatFireDue() {
		// a schedule this process's scheduler does not fire (another version's): due, it
		// stays as a scheduler that the edit's lock made skip it would find it next tick
		schedules.storeDefault(ScheduleDefinition.of("test.edited-when-due", TestJobHandlers.RECORD,
				new Note("edited when due"), Schedule.every(Duration.ofHours(1))));
		Instant due = jdbc.sql("""
				UPDATE job_schedule SET next_fire_at = date_trunc('second', now()) - interval '1 second'
				WHERE name = 'test.edited-when-due' RETURNING next_fire_at
				""").query(Timestamp.class).single().toInstant();

		schedules.update("test.edited-when-due", Schedule.every(Duration.ofHours(2)), ScheduleDefinition.Misfire.SKIP,
				Duration.ZERO);
		schedules.setEnabled("test.edited-when-due", true);

		assertThat(view("test.edited-when-due").nextFireAt()).as("still due").isEqualTo(due);
		// not due: the edit's timetable counts
		schedules.setEnabled("test.edited-when-due", false);
		schedules.setEnabled("test.edited-when-due", true);
		assertThat(view("test.edited-when-due").nextFireAt()).isAfter(Instant.now().plus(Duration.ofMinutes(119)));
	}

	@Test
	void scheduleFiresEachFireTimeAndItsJobRuns() {
		// yearly in code: an operator's edit makes it fire every second, without a
		// restart
		schedules.update("test.every-second", Schedule.every(Duration.ofSeconds(1)), ScheduleDefinition.Misfire.SKIP,
				Duration.ZERO);

		await().atMost(Duration.ofSeconds(10)).until(() -> firedJobs("test.every-second").size() >= 3);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> view("test.every-second").lastOutcome().equals(Optional.of(AttemptOutcome.SUCCEEDED)));
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
	void aScheduleStoredByAnotherVersionsStartIsNotFiredByASchedulerWhoseCodeLacksIt() {
		// a deploy's candidate that defines a new schedule starts, and is refused
		schedules.storeDefault(ScheduleDefinition.of("test.candidates-only", TestJobHandlers.RECORD,
				new Note("candidate's"), Schedule.every(Duration.ofSeconds(1))));
		assertThat(view("test.candidates-only").status()).isEqualTo(ScheduleView.Status.ENABLED);

		// due again and again: this version's scheduler leaves it to the code that
		// defines it
		sleep(Duration.ofMillis(3500));
		assertThat(firedJobs("test.candidates-only")).isEmpty();
		assertThat(TestJobHandlers.recorded).doesNotContain("candidate's");
	}

	@Test
	void missedFireTimesAreSkippedOrRunOnceAccordingToThePolicy() {
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

	/** Schedules this process's code defines, besides the application's. */
	static class TestSchedules {

		@Bean
		ScheduleDefinition<Note> everySecondSchedule() {
			return ScheduleDefinition.of("test.every-second", TestJobHandlers.RECORD, new Note("every second"),
					Schedule.cron("0 0 0 1 1 *", ZoneId.of("UTC")));
		}

		@Bean
		ScheduleDefinition<Note> missedSkipSchedule() {
			return ScheduleDefinition.of("test.missed-skip", TestJobHandlers.RECORD, new Note("skip"),
					Schedule.every(Duration.ofMinutes(10)));
		}

		@Bean
		ScheduleDefinition<Note> missedRunOnceSchedule() {
			return new ScheduleDefinition<>("test.missed-run-once", TestJobHandlers.RECORD, new Note("run once"),
					Schedule.every(Duration.ofMinutes(10)), ScheduleDefinition.Misfire.RUN_ONCE, Duration.ofHours(2));
		}

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
