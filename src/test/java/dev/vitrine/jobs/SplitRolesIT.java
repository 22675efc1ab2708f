package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.vitrine.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roles in separate processes: what one role enqueues, a process of another role runs. A
 * web process in this JVM (web role only) owns the schema and reads the tables.
 */
class SplitRolesIT {

	private JobsCluster cluster;

	private JdbcClient jdbc;

	@BeforeEach
	void startWebProcess() {
		this.cluster = JobsCluster.start("split_roles");
		this.jdbc = this.cluster.jdbc();
	}

	@AfterEach
	void stopWebProcess() {
		this.cluster.close();
	}

	/**
	 * {@code site.render-stale}: declared in every process (by its schedule definition),
	 * handled only in workers (the handler needs the browser).
	 */
	@Test
	void jobsASchedulerOnlyProcessFiresRunOnAWorkerOnlyProcess() {
		try (AppProcess scheduler = start("split-scheduler", "scheduler");
				AppProcess worker = start("split-worker", "worker")) {
			scheduler.awaitLine("Scheduler started", Duration.ofMinutes(2));
			worker.awaitLine("Worker .* started", Duration.ofMinutes(2));
			// nightly in code; every second, as an operator's edit would make it
			Schedules schedules = this.cluster.bean(Schedules.class);
			schedules.update("site.render-stale", Schedule.every(Duration.ofSeconds(1)),
					ScheduleDefinition.Misfire.SKIP, Duration.ZERO);

			await().atMost(Duration.ofSeconds(30)).until(() -> succeededFirings() >= 3);
			schedules.setEnabled("site.render-stale", false);

			List<String> workers = this.jdbc.sql("""
					SELECT DISTINCT worker FROM job_run
					WHERE unique_key LIKE 'site.render-stale@%' AND outcome = 'succeeded'
					""").query(String.class).list();
			assertThat(workers).singleElement().asString().contains("#" + worker.pid() + ".");
			assertThat(scheduler.output()).doesNotContain("Worker ");
			assertThat(worker.output()).doesNotContain("Scheduler started");
		}
	}

	@Test
	void aWebOnlyProcessRunsNowSchedulesWhoseHandlersOnlyWorkersHave() {
		Schedules schedules = this.cluster.bean(Schedules.class);
		assertThat(this.cluster.web().getBeansOfType(JobHandler.class).keySet()).as("handlers in the web process")
			.doesNotContain("renderStaleHandler", "renderResumeHandler");
		this.jdbc
			.sql("""
					INSERT INTO job_schedule (name, job_type, payload, interval_ms, next_fire_at, enabled)
					VALUES ('it.resume', 'site.render-resume', '{"force": false}', 3600000, now() + interval '1 hour', false)
					""")
			.update();

		JobId stale = schedules.runNow("site.render-stale");
		JobId resume = schedules.runNow("it.resume");

		assertThat(stale.type()).isEqualTo("site.render-stale");
		assertThat(resume.type()).isEqualTo("site.render-resume");
		assertThat(this.jdbc.sql("SELECT type || ' ' || state FROM job WHERE id IN (?, ?) ORDER BY type")
			.param(stale.value())
			.param(resume.value())
			.query(String.class)
			.list()).containsExactly("site.render-resume pending", "site.render-stale pending");
	}

	private int succeededFirings() {
		return this.jdbc
			.sql("SELECT count(*) FROM job_run WHERE unique_key LIKE 'site.render-stale@%' AND outcome = 'succeeded'")
			.query(Integer.class)
			.single();
	}

	private AppProcess start(String name, String roles) {
		return AppProcess.start(name, this.cluster.environment(roles, Map.of()));
	}

}
