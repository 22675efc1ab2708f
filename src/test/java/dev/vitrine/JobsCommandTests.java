package dev.vitrine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.vitrine.ops.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jobs enqueue}, {@code jobs list} and {@code jobs retry-failed}: the operator's
 * command line on the job engine, against real PostgreSQL.
 */
class JobsCommandTests {

	private static final String NOOP = "{\"workMillis\":0,\"fail\":false}";

	@Test
	void bulkEnqueueStoresEveryJobInBatchesAndShowsProgress() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_bulk");

		Run run = run(database, "enqueue", "jobs.diagnostic", "--payload", NOOP, "--count", "20000");

		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("  2000 of 20000 (10%)")
			.contains("  10000 of 20000 (50%)")
			.contains("  20000 of 20000 (100%)")
			.containsPattern("Enqueued 20000 jobs of jobs\\.diagnostic in \\d+ ms \\(\\d+/s\\)");
		assertThat(run.out().lines().filter((line) -> line.endsWith("%)"))).hasSize(10);
		assertThat(query(database, """
				SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || min(queue) || ' ' || max(max_attempts) || ' '
				       || count(*) FILTER (WHERE payload = '{"workMillis":0,"fail":false}' AND state = 'pending')
				FROM job WHERE type = 'jobs.diagnostic'
				""")).containsExactly("20000 20000 diagnostics 3 20000");
	}

	@Test
	void oneJobWithAKeyIsEnqueuedOnceAndAKeyNeedsACountOfOne() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_key");

		Run first = run(database, "enqueue", "jobs.diagnostic", "--payload", NOOP, "--key", "nightly");
		Run second = run(database, "enqueue", "jobs.diagnostic", "--payload", NOOP, "--key", "nightly");
		Run many = run(database, "enqueue", "jobs.diagnostic", "--payload", NOOP, "--key", "nightly", "--count", "2");

		assertThat(first.code()).as(first.err()).isZero();
		assertThat(first.out()).containsPattern("Job jobs\\.diagnostic#\\d+ waits with key 'nightly'");
		assertThat(second.out()).isEqualTo(first.out());
		assertThat(many.code()).isEqualTo(2);
		assertThat(many.err()).contains("--key enqueues one job").contains("usage: java -jar vitrine.jar jobs");
		assertThat(query(database, "SELECT unique_key FROM job")).containsExactly("nightly");
	}

	@Test
	void unknownTypeIsRefusedNamingTheKnownOnes() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_unknown");

		Run run = run(database, "enqueue", "jobs.diagnostc", "--count", "3");

		assertThat(run.code()).isEqualTo(2);
		assertThat(run.err()).startsWith("jobs enqueue: unknown job type 'jobs.diagnostc': known are ")
			.contains("jobs.diagnostic, jobs.history-retention");
		assertThat(query(database, "SELECT count(*) FROM job")).containsExactly("0");
	}

	@Test
	void payloadThatDoesNotFitIsRefusedNamingTheRecordAndTheField() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_payload");

		Run wrongType = run(database, "enqueue", "jobs.diagnostic", "--payload", "{\"workMillis\":\"soon\"}", "--count",
				"10");
		Run missing = run(database, "enqueue", "jobs.diagnostic");
		Run notJson = run(database, "enqueue", "jobs.diagnostic", "--payload", "{workMillis: 1");

		assertThat(wrongType.code()).isEqualTo(2);
		assertThat(wrongType.err())
			.startsWith("jobs enqueue: the payload does not fit DiagnosticJob: field 'workMillis': ")
			.contains("\"soon\"");
		assertThat(missing.code()).as("the default payload {} lacks workMillis").isEqualTo(2);
		assertThat(missing.err())
			.startsWith("jobs enqueue: the payload does not fit DiagnosticJob: field 'workMillis'");
		assertThat(notJson.code()).isEqualTo(2);
		assertThat(notJson.err()).startsWith("jobs enqueue: the payload is not JSON: ");
		assertThat(query(database, "SELECT count(*) FROM job")).containsExactly("0");
	}

	@Test
	void listShowsJobsNewestFirstFilteredByStateAndType() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_list");
		assertThat(run(database, "enqueue", "jobs.diagnostic", "--payload", NOOP, "--count", "3").code()).isZero();
		long failed = recordFailedRun(database, "jobs.diagnostic", "IllegalStateException: boom\n\tat somewhere");
		recordFailedRun(database, "jobs.history-retention", "IllegalStateException: disk full");

		Run all = run(database, "list");
		Run failedOnly = run(database, "list", "--state", "failed", "--type", "jobs.diagnostic");
		Run limited = run(database, "list", "--state", "pending", "--limit", "2");
		Run badState = run(database, "list", "--state", "broken");

		assertThat(all.code()).as(all.err()).isZero();
		assertThat(all.out().lines().findFirst()).hasValueSatisfying(
				(header) -> assertThat(header).matches("ID +TYPE +STATE +ATTEMPTS +WHEN +WORKER +ERROR"));
		assertThat(all.out()).contains("5 jobs, newest first");
		assertThat(failedOnly.out().lines().skip(1).toList()).hasSize(2)
			.first()
			.satisfies((line) -> assertThat(line).startsWith(failed + " ")
				.contains("jobs.diagnostic")
				.contains(" failed ")
				.contains("test-worker")
				.endsWith("IllegalStateException: boom"));
		assertThat(failedOnly.out()).doesNotContain("disk full").contains("1 job, newest first");
		assertThat(limited.out().lines().filter((line) -> line.contains(" pending "))).hasSize(2);
		assertThat(limited.out()).contains("2 jobs, newest first (the limit: --limit N shows more)");
		assertThat(badState.code()).isEqualTo(2);
		assertThat(badState.err()).contains("unknown state 'broken'").contains("pending, scheduled, running");
	}

	@Test
	void anUnknownStateIsRefusedNamingTheValidOnesInTheMessageItself() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_state");

		Run run = run(database, "list", "--state", "nope");

		assertThat(run.code()).isEqualTo(2);
		// the first line, not only the usage printed after it
		assertThat(run.err().lines().findFirst()).hasValue("jobs list: unknown state 'nope': valid are pending, "
				+ "scheduled, running, retrying, succeeded, failed, discarded, cancelled");
	}

	@Test
	void retryFailedRunsFailedJobsAgainAndSaysHowMany() throws SQLException {
		String database = TestPostgres.newDatabase("jobs_cli_retry");
		Run empty = run(database, "list");
		assertThat(empty.out()).as("creates the schema").isEqualTo("No jobs match.\n");
		long first = recordFailedRun(database, "jobs.diagnostic", "boom");
		long second = recordFailedRun(database, "jobs.diagnostic", "boom");
		long other = recordFailedRun(database, "jobs.history-retention", "disk full");

		Run ofType = run(database, "retry-failed", "--type", "jobs.diagnostic");
		Run again = run(database, "retry-failed", "--type", "jobs.diagnostic");
		Run rest = run(database, "retry-failed");
		Run unknown = run(database, "retry-failed", "--type", "nope");

		assertThat(ofType.code()).as(ofType.err()).isZero();
		assertThat(ofType.out()).isEqualTo("Retried 2 failed jobs of jobs.diagnostic\n");
		assertThat(again.out()).isEqualTo("Retried 0 failed jobs of jobs.diagnostic\n");
		assertThat(rest.out()).isEqualTo("Retried 1 failed job\n");
		assertThat(query(database, "SELECT id || ' ' || type || ' ' || state || ' ' || attempt FROM job ORDER BY id"))
			.containsExactly(first + " jobs.diagnostic pending 0", second + " jobs.diagnostic pending 0",
					other + " jobs.history-retention pending 0");
		assertThat(unknown.code()).isEqualTo(2);
		assertThat(unknown.err()).contains("unknown job type 'nope': known are ");
	}

	@Test
	void wrongUsageExplainsItself() {
		String database = "jdbc:postgresql://127.0.0.1:1/never-used";
		for (String[] args : List.of(new String[] {}, new String[] { "launch" }, new String[] { "enqueue" },
				new String[] { "enqueue", "jobs.diagnostic", "--count", "0" },
				new String[] { "enqueue", "jobs.diagnostic", "--count" }, new String[] { "list", "--limit", "many" },
				new String[] { "list", "--colour" }, new String[] { "retry-failed", "extra" })) {
			Run run = run(database, args);
			assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
			assertThat(run.err()).as(String.join(" ", args))
				.contains("usage: java -jar vitrine.jar jobs enqueue TYPE [--payload JSON] [--count N] [--key K]");
		}
	}

	/** Records a job that failed its last attempt, as a worker does; returns its id. */
	private static long recordFailedRun(String database, String type, String error) throws SQLException {
		return Long.parseLong(query(database, """
				INSERT INTO job_run (job_id, job_type, payload, attempt, outcome, worker, enqueued_at, started_at,
				                     finished_at, error)
				VALUES (nextval(pg_get_serial_sequence('job', 'id')), '%s', '%s', 3, 'failed', 'test-worker',
				        now() - interval '1 minute', now() - interval '1 minute', clock_timestamp(), '%s')
				RETURNING job_id
				""".formatted(type, type.equals("jobs.diagnostic") ? NOOP : "{}", error)).getFirst());
	}

	private static List<String> query(String database, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			List<String> values = new ArrayList<>();
			while (rows.next()) {
				values.add(rows.getString(1));
			}
			return values;
		}
	}

	private static Run run(String database, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		String[] command = Stream
			.of(new String[] { "jobs" }, args,
					new String[] { "--vitrine.db.url=" + database, "--vitrine.db.user=" + TestPostgres.user() })
			.flatMap(Stream::of)
			.toArray(String[]::new);
		int code = VitrineApplication.runCommand(command, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int code, String out, String err) {
	}

}
