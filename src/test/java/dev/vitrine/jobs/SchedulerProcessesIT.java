package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three scheduler processes share one schedule that fires every second, for 40 seconds,
 * while a worker in this JVM runs each job as soon as it is enqueued (so a second firing
 * of the same fire time would run again rather than be absorbed as a duplicate of a
 * pending job).
 */
class SchedulerProcessesIT {

	private static final Duration RUN = Duration.ofSeconds(40);

	private static final String SCHEDULE = HistoryRetentionJob.SCHEDULE.name();

	@Test
	void everyFireTimeRunsExactlyOnceAcrossThreeSchedulers() throws InterruptedException {
		String database = TestPostgres.newDatabase("scheduler_processes");
		Map<String, String> environment = Map.of("VITRINE_DB_URL", database, "VITRINE_DB_USER", TestPostgres.user(),
				"VITRINE_ROLES", "scheduler", "VITRINE_CONTENT_DEMO", "false");
		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + database, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.content.demo=false", "vitrine.management.port=0")
			.run();
				AppProcess first = scheduler("a", environment);
				AppProcess second = scheduler("b", environment);
				AppProcess third = scheduler("c", environment)) {
			for (AppProcess scheduler : List.of(first, second, third)) {
				scheduler.awaitLine("Scheduler started", Duration.ofMinutes(2));
			}
			JdbcClient jdbc = worker.getBean(JdbcClient.class);
			// a schedule the schedulers' code defines (they fire no other), made to fire
			// every second as an operator would
			worker.getBean(Schedules.class)
				.update(SCHEDULE, Schedule.every(Duration.ofSeconds(1)), ScheduleDefinition.Misfire.SKIP,
						Duration.ZERO);

			Thread.sleep(RUN);
			worker.getBean(Schedules.class).setEnabled(SCHEDULE, false);
			Thread.sleep(Duration.ofSeconds(3));

			List<Fired> fired = jdbc.sql("""
					SELECT unique_key, count(*) FILTER (WHERE outcome = 'succeeded') AS runs
					FROM job_run WHERE unique_key LIKE :prefix GROUP BY unique_key
					""")
				.param("prefix", SCHEDULE + "@%")
				.query((rs, row) -> new Fired(Instant.parse(rs.getString(1).substring(SCHEDULE.length() + 1)),
						rs.getInt(2)))
				.list()
				.stream()
				.sorted((a, b) -> a.at().compareTo(b.at()))
				.toList();

			assertThat(fired).as("fire times in %s", RUN).hasSizeGreaterThanOrEqualTo((int) RUN.toSeconds() - 5);
			assertThat(fired).allSatisfy((fire) -> assertThat(fire.runs()).as("runs of %s", fire.at()).isEqualTo(1));
			for (int i = 1; i < fired.size(); i++) {
				assertThat(Duration.between(fired.get(i - 1).at(), fired.get(i).at()))
					.as("gap before %s", fired.get(i).at())
					.isEqualTo(Duration.ofSeconds(1));
			}
		}
	}

	private static AppProcess scheduler(String name, Map<String, String> environment) {
		Map<String, String> withPort = new java.util.HashMap<>(environment);
		withPort.put("VITRINE_MANAGEMENT_PORT", Integer.toString(Http.freePort()));
		return AppProcess.start("scheduler-" + name, withPort);
	}

	private record Fired(Instant at, int runs) {
	}

}
