package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.jobs.ScheduleView;
import dev.vitrine.jobs.Schedules;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor's filters and actions as the signed-in owner, over HTTP: input that names
 * nothing, that PostgreSQL cannot hold or that overflows is refused with 400 and what
 * would do, and changes nothing.
 */
class MonitorInputTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final String SCHEDULE = "site.render-stale";

	private static RunningApp app;

	private static WebSession owner;

	@BeforeAll
	static void start() {
		app = RunningApp.start("monitor_input", "vitrine.roles=monitor", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);
		owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/monitor");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void jobFiltersTheDatabaseCannotTakeAreRefused() {
		Map<String, String> refused = Map.of("search=%00", "NUL", "type=%00", "not a job type name",
				"type=" + "a".repeat(101), "not a job type name", "from=-999999999-01-01T00:00", "years 1 to 9999",
				"to=%2B10000-01-01T00:00", "years 1 to 9999", "from=0000-12-31T23:59", "years 1 to 9999",
				"from=2026-12-03T10:00&to=2026-12-02T10:00",
				"is after 'to' (2026-12-02T10:00): no job is between them");

		refused.forEach((query, message) -> {
			HttpResponse<String> response = owner.get("/monitor/jobs?" + query);

			assertThat(response.statusCode()).as(query).isEqualTo(400);
			assertThat(response.body()).as(query).contains(message);
		});
		assertThat(owner.get("/monitor/jobs?from=0001-01-01T00:00&to=9999-12-31T23:59&type=jobs.diagnostic&search=x")
			.statusCode()).isEqualTo(200);
		assertThat(owner.post("/monitor/jobs/retry-failed", Map.of("type", "a\0b")).statusCode()).isEqualTo(400);
	}

	@Test
	void aGraceBeyondThirtyOneDaysIsRefusedAndTheScheduleKeepsItsOwn() {
		Duration before = schedule().misfireGrace();

		for (String minutes : List.of("9223372036854775807", "99999999999", "44641", "-1")) {
			HttpResponse<String> response = editSchedule(Map.of("graceMinutes", minutes));

			assertThat(response.statusCode()).as(minutes).isEqualTo(400);
			assertThat(response.body()).as(minutes).contains("0 to 44640 minutes (31 days)");
		}
		assertThat(schedule().misfireGrace()).isEqualTo(before);

		assertThat(editSchedule(Map.of("graceMinutes", "44640")).statusCode()).isEqualTo(302);
		assertThat(schedule().misfireGrace()).isEqualTo(Duration.ofDays(31));
		assertThat(editSchedule(Map.of("graceMinutes", Long.toString(before.toMinutes()))).statusCode()).isEqualTo(302);
	}

	@Test
	void aMissedFireTimesPolicyTheFormCannotSendIsRefusedNotReadAsSkip() {
		assertThat(schedule().misfire()).isEqualTo(ScheduleDefinition.Misfire.RUN_ONCE);

		HttpResponse<String> response = editSchedule(Map.of("misfire", "run_once"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("missed fire times must be skip or run-once, not run_once");
		assertThat(schedule().misfire()).isEqualTo(ScheduleDefinition.Misfire.RUN_ONCE);
	}

	@Test
	void anIntervalTooLongToStoreOrACronThatNeverFiresIsRefused() {
		assertThat(editSchedule(Map.of("cron", "", "intervalSeconds", "9223372036854775")).statusCode()).isEqualTo(400);
		// 400 days: storable, but past the longest interval
		assertThat(editSchedule(Map.of("cron", "", "intervalSeconds", "34560000")).statusCode()).isEqualTo(400);
		assertThat(editSchedule(Map.of("cron", "0 0 0 30 2 *")).statusCode()).isEqualTo(400);
		assertThat(schedule().schedule().cron()).isEqualTo("0 41 2 * * *");
	}

	@Test
	void aScheduleGivenBothACronAndAnIntervalOrNeitherIsRefusedSayingSoAndKeepsItsOwn() {
		Schedule before = schedule().schedule();

		// the schedule's cron expression, and an interval typed beside it
		HttpResponse<String> both = editSchedule(Map.of("intervalSeconds", "60"));
		HttpResponse<String> neither = editSchedule(Map.of("cron", " ", "intervalSeconds", ""));

		assertThat(both.statusCode()).isEqualTo(400);
		assertThat(both.body())
			.contains("Schedule " + SCHEDULE + " not changed: give a cron expression or an interval, not both");
		assertThat(neither.statusCode()).isEqualTo(400);
		assertThat(neither.body())
			.contains("Schedule " + SCHEDULE + " not changed: give a cron expression or an interval")
			.doesNotContain("PT0S");
		assertThat(schedule().schedule()).isEqualTo(before);
	}

	@Test
	void aScheduleAndAPauseStoredByAnOlderReleaseBeyondTodaysLimitsStillShowAndCanBeUndone() {
		JdbcClient jdbc = app.bean(JdbcClient.class);
		jdbc.sql("INSERT INTO job_schedule (name, job_type, payload, interval_ms, zone, misfire, misfire_grace_ms,"
				+ " next_fire_at) SELECT 'old.every-400-days', job_type, payload, 34560000000, 'UTC', misfire,"
				+ " misfire_grace_ms, next_fire_at FROM job_schedule WHERE name = ?")
			.param(SCHEDULE)
			.update();
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('type', 'an old pause name')").update();
		try {
			HttpResponse<String> page = owner.get("/monitor/schedules");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("old.every-400-days");
			// the browser would refuse the form, a cron typed over the interval included
			assertThat(Jsoup.parse(page.body())
				.select("form[action=/monitor/schedules/old.every-400-days] input[name=intervalSeconds]")
				.attr("value")).isEqualTo("34560000");
			assertThat(Jsoup.parse(page.body())
				.select("form[action=/monitor/schedules/old.every-400-days] input[name=intervalSeconds]")
				.hasAttr("max")).isFalse();
			assertThat(Jsoup.parse(page.body())
				.select("form[action=/monitor/schedules/" + SCHEDULE + "] input[name=intervalSeconds]")
				.attr("max")).isEqualTo("31622400");
			assertThat(app.bean(Schedules.class).list()).extracting(ScheduleView::name).contains("old.every-400-days");

			assertThat(owner
				.post("/monitor/pause", Map.of("scope", "type", "name", "an old pause name", "paused", "false"))
				.statusCode()).isEqualTo(302);
			assertThat(paused()).isEmpty();
		}
		finally {
			jdbc.sql("DELETE FROM job_schedule WHERE name = 'old.every-400-days'").update();
			jdbc.sql("DELETE FROM job_pause WHERE name = 'an old pause name'").update();
		}
	}

	@Test
	void aPauseMustNameAKnownQueueOrTypeAndNothingElseIsPaused() {
		Map<String, String> refused = Map.of("", "type", "a\0b", "type", "x".repeat(5000), "type", "jobs.diagnostc",
				"type", "Jobs.Diagnostic", "type", "defualt", "queue", "a\0b ", "queue");

		refused.forEach((name, scope) -> {
			HttpResponse<String> response = owner.post("/monitor/pause",
					Map.of("scope", scope, "name", name, "paused", "true"));

			assertThat(response.statusCode()).as(scope + " " + name).isEqualTo(400);
			assertThat(response.body()).as(scope + " " + name).contains("Nothing paused");
		});
		assertThat(
				owner.post("/monitor/pause", Map.of("scope", "type", "name", "a\0b", "paused", "false")).statusCode())
			.isEqualTo(400);
		assertThat(paused()).isEmpty();

		assertThat(owner.post("/monitor/pause", Map.of("scope", "type", "name", "jobs.diagnostic", "paused", "true"))
			.statusCode()).isEqualTo(302);
		assertThat(owner.post("/monitor/pause", Map.of("scope", "queue", "name", "rendering", "paused", "true"))
			.statusCode()).isEqualTo(302);
		assertThat(paused()).containsExactly("queue rendering", "type jobs.diagnostic");
		owner.post("/monitor/pause", Map.of("scope", "type", "name", "jobs.diagnostic", "paused", "false"));
		owner.post("/monitor/pause", Map.of("scope", "queue", "name", "rendering", "paused", "false"));
		assertThat(paused()).isEmpty();
	}

	@Test
	void runNowOfAScheduleWhoseJobTypeThisVersionLacksIsRefusedAndEnqueuesNothing() {
		JdbcClient jdbc = app.bean(JdbcClient.class);
		jdbc.sql("INSERT INTO job_schedule (name, job_type, payload, interval_ms, zone, misfire, misfire_grace_ms,"
				+ " next_fire_at, enabled, missing_from_code) SELECT 'old.gone-type', 'old.removed-type', payload,"
				+ " 3600000, 'UTC', misfire, misfire_grace_ms, next_fire_at, false, true FROM job_schedule WHERE name = ?")
			.param(SCHEDULE)
			.update();
		try {
			HttpResponse<String> response = owner.post("/monitor/schedules/old.gone-type/run", Map.of());

			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.body()).contains("Schedule old.gone-type not run")
				.contains("unknown job type")
				.contains("old.removed-type");
			assertThat(jdbc.sql("SELECT count(*) FROM job WHERE type = 'old.removed-type'").query(Long.class).single())
				.isZero();
			assertThat(owner.post("/monitor/schedules/no.such-schedule/run", Map.of()).statusCode()).isEqualTo(404);
		}
		finally {
			jdbc.sql("DELETE FROM job_schedule WHERE name = 'old.gone-type'").update();
		}
	}

	@Test
	void pausingOrResumingTwiceSaysTheSecondClickChangedNothing() {
		Map<String, String> pause = Map.of("scope", "type", "name", "jobs.diagnostic", "paused", "true");
		Map<String, String> resume = Map.of("scope", "type", "name", "jobs.diagnostic", "paused", "false");

		try {
			assertThat(noticeAfter(pause)).isEqualTo("type jobs.diagnostic paused.");
			assertThat(noticeAfter(pause)).isEqualTo("type jobs.diagnostic was paused already.");
			assertThat(noticeAfter(resume)).isEqualTo("type jobs.diagnostic resumed.");
			assertThat(noticeAfter(resume)).isEqualTo("type jobs.diagnostic was not paused: nothing resumed.");
			assertThat(paused()).isEmpty();
		}
		finally {
			app.bean(JdbcClient.class).sql("DELETE FROM job_pause").update();
		}
	}

	/** The notice the monitor shows after this pause form is sent. */
	private static String noticeAfter(Map<String, String> form) {
		// other tests' forms leave notices the monitor has not shown yet
		for (int shown = 0; shown < 10; shown++) {
			if (notice().isEmpty()) {
				break;
			}
		}
		HttpResponse<String> response = owner.post("/monitor/pause", form);
		assertThat(response.statusCode()).isEqualTo(302);
		return notice();
	}

	private static String notice() {
		return Jsoup.parse(owner.get("/monitor").body()).select("[role=status]").text();
	}

	/** Edits the schedule with its own settings, but for these fields. */
	private static HttpResponse<String> editSchedule(Map<String, String> fields) {
		ScheduleView schedule = schedule();
		Map<String, String> form = new HashMap<>(Map.of("cron", schedule.schedule().cron(), "zone", "UTC", "misfire",
				"run-once", "graceMinutes", Long.toString(schedule.misfireGrace().toMinutes())));
		form.putAll(fields);
		return owner.post("/monitor/schedules/" + SCHEDULE, form);
	}

	private static ScheduleView schedule() {
		return app.bean(Schedules.class)
			.list()
			.stream()
			.filter((schedule) -> schedule.name().equals(SCHEDULE))
			.findFirst()
			.orElseThrow();
	}

	private static List<String> paused() {
		return app.bean(JdbcClient.class)
			.sql("SELECT scope || ' ' || name FROM job_pause ORDER BY scope, name")
			.query(String.class)
			.list();
	}

}
