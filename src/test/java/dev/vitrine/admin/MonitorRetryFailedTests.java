package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.util.List;

import dev.vitrine.support.Forms;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failed jobs list's "Retry every failed job" button, sent as the page shows it over
 * HTTP: without a type filter it retries failed jobs of every type, with one only that
 * type's. No worker runs here, so a retried job stays pending.
 */
class MonitorRetryFailedTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final String ACTION = "/monitor/jobs/retry-failed";

	private static RunningApp app;

	private static WebSession owner;

	@BeforeAll
	static void start() {
		app = RunningApp.start("monitor_retry_failed", "vitrine.roles=monitor", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);
		owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void theButtonWithoutATypeRetriesFailedJobsOfEveryTypeAndWithATypeOnlyThatTypes() {
		long diagnostic = recordFailedRun("jobs.diagnostic");
		long retention = recordFailedRun("jobs.history-retention");

		String anyType = owner.get("/monitor/jobs?state=failed").body();
		assertThat(owner.post(ACTION, Forms.fields(anyType, ACTION)).statusCode()).isEqualTo(302);

		assertThat(notice()).isEqualTo("2 failed jobs enqueued again.");
		assertThat(pending()).containsExactly(diagnostic + " jobs.diagnostic", retention + " jobs.history-retention");
		assertThat(Jsoup.parse(anyType).select("#retry-failed").text()).isEqualTo("Retry every failed job");

		long diagnosticAgain = recordFailedRun("jobs.diagnostic");
		long retentionAgain = recordFailedRun("jobs.history-retention");

		String oneType = owner.get("/monitor/jobs?state=failed&type=jobs.diagnostic").body();
		assertThat(owner.post(ACTION, Forms.fields(oneType, ACTION)).statusCode()).isEqualTo(302);

		assertThat(notice()).isEqualTo("1 failed job of jobs.diagnostic enqueued again.");
		assertThat(pending()).containsExactly(diagnostic + " jobs.diagnostic", retention + " jobs.history-retention",
				diagnosticAgain + " jobs.diagnostic");
		assertThat(Jsoup.parse(oneType).select("#retry-failed").text())
			.isEqualTo("Retry every failed job of jobs.diagnostic");
		Document failed = Jsoup.parse(owner.get("/monitor/jobs?state=failed").body());
		assertThat(failed.select("table.jobs tbody a").eachText())
			.containsExactly("jobs.history-retention#" + retentionAgain);
	}

	/** The notice on the page the button redirects to. */
	private static String notice() {
		HttpResponse<String> page = owner.get("/monitor/jobs?state=failed");
		return Jsoup.parse(page.body()).select("[role=status]").text();
	}

	private static List<String> pending() {
		return app.bean(JdbcClient.class)
			.sql("SELECT id || ' ' || type FROM job WHERE state = 'pending' ORDER BY id")
			.query(String.class)
			.list();
	}

	/** Records a job that failed its last attempt, as a worker does; returns its id. */
	private static long recordFailedRun(String type) {
		return app.bean(JdbcClient.class).sql("""
				INSERT INTO job_run (job_id, job_type, payload, attempt, outcome, worker, enqueued_at, started_at,
				                     finished_at, error)
				VALUES (nextval(pg_get_serial_sequence('job', 'id')), :type, '{}', 3, 'failed', 'test-worker',
				        now() - interval '1 minute', now() - interval '1 minute', clock_timestamp(), 'boom')
				RETURNING job_id
				""").param("type", type).query(Long.class).single();
	}

}
