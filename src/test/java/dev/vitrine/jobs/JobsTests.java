package dev.vitrine.jobs;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.TestJobHandlers.Note;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.Http;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.vitrine.jobs.TestJobHandlers.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The job state machine, run by a worker in this JVM against real PostgreSQL. */
class JobsTests {

	private static ConfigurableApplicationContext app;

	private static Jobs jobs;

	private static JdbcClient jdbc;

	private static TransactionTemplate transaction;

	@BeforeAll
	static void startWorker() {
		app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("jobs_tests"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker", "vitrine.management.port=0",
					"vitrine.content.demo=false", "vitrine.jobs.poll-interval=200ms",
					"vitrine.jobs.unknown-type-grace=1s")
			.run();
		jobs = app.getBean(Jobs.class);
		jdbc = app.getBean(JdbcClient.class);
		transaction = app.getBean(TransactionTemplate.class);
	}

	@AfterAll
	static void stopWorker() {
		app.close();
	}

	@Test
	void enqueueInARolledBackTransactionLeavesNoJob() throws InterruptedException {
		transaction.executeWithoutResult((status) -> {
			jobs.enqueue(TestJobHandlers.RECORD, new Note("rolled back"));
			status.setRollbackOnly();
		});

		assertThat(jdbc.sql("SELECT count(*) FROM job WHERE payload ->> 'text' = 'rolled back'")
			.query(Integer.class)
			.single()).isZero();
		Thread.sleep(500);
		assertThat(recorded).doesNotContain("rolled back");
	}

	@Test
	void committedJobRunsOnceAndIsRecorded() {
		JobId id = transaction.execute((status) -> jobs.enqueue(TestJobHandlers.RECORD, new Note("committed")));

		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("committed"));
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).size() == 1);
		Map<String, Object> run = attempts(id).getFirst();
		assertThat(run).containsEntry("outcome", "succeeded").containsEntry("attempt", 1);
		assertThat(run.get("payload").toString()).contains("committed");
		assertThat(pending(TestJobHandlers.RECORD)).isZero();
	}

	@Test
	void failingJobIsRetriedWithBackoffThenEndsFailedWithItsStackTrace() {
		JobId id = jobs.enqueue(TestJobHandlers.FAILING, new Note("always fails"));

		await().atMost(Duration.ofSeconds(15))
			.until(() -> attempts(id).size() == 3 && pending(TestJobHandlers.FAILING) == 0);
		List<Map<String, Object>> runs = attempts(id);
		assertThat(runs).extracting((run) -> run.get("outcome")).containsOnly("failed");
		assertThat(runs.get(0).get("retry_at")).isNotNull();
		assertThat(runs.get(1).get("retry_at")).isNotNull();
		assertThat(runs.get(2).get("retry_at")).as("last attempt schedules no retry").isNull();
		assertThat(runs.get(2).get("error")).isEqualTo("IllegalStateException: failing on purpose: always fails");
		assertThat(runs.get(2).get("stack_trace").toString()).contains("TestJobHandlers");
		// backoff: 200 ms doubling, jittered to at least half
		assertThat(gap(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		assertThat(gap(runs.get(1), runs.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
	}

	@Test
	void jobThatFailsTwiceSucceedsOnTheThirdAttempt() {
		TestJobHandlers.failuresLeft.put("flaky", new AtomicInteger(2));
		JobId id = jobs.enqueue(TestJobHandlers.FAILING, new Note("flaky"));

		await().atMost(Duration.ofSeconds(15)).until(() -> recorded.contains("flaky"));
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).size() == 3);
		assertThat(attempts(id)).extracting((run) -> run.get("outcome"))
			.containsExactly("failed", "failed", "succeeded");
	}

	@Test
	void jobExceedingItsTimeoutIsInterruptedAndFails() {
		Instant start = Instant.now();
		JobId id = jobs.enqueue(TestJobHandlers.SLOW, new Note("slow"));

		await().atMost(Duration.ofSeconds(8)).until(() -> attempts(id).size() == 1);
		assertThat(attempts(id).getFirst()).containsEntry("outcome", "failed")
			.containsEntry("error", "JobTimeoutException: timed out after 300 ms");
		assertThat(TestJobHandlers.slowInterrupted).hasPositiveValue();
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(8));
	}

	@Test
	void perTypeConcurrencyLimitHoldsAcrossWorkerThreads() {
		IntStream.range(0, 12).forEach((i) -> jobs.enqueue(TestJobHandlers.LIMITED, new Note("limited-" + i)));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> IntStream.range(0, 12).allMatch((i) -> recorded.contains("limited-" + i)));
		assertThat(TestJobHandlers.limitedMaxRunning).hasValue(2);
	}

	@Test
	void brokenPayloadsFailTheirJobWithAClearErrorAndTheWorkerGoesOn() {
		JobId wrongShape = insertRaw("test.record", "{\"text\": {\"not\": \"a string\"}}");
		JobId notAnObject = insertRaw("test.record", "\"unreadable db-scheduler data\"");
		JobId unknownType = insertRaw("no.such.type", "{}");

		await().atMost(Duration.ofSeconds(10))
			.until(() -> attempts(wrongShape).size() == 1 && attempts(notAnObject).size() == 1);
		assertThat(attempts(wrongShape).getFirst()).containsEntry("outcome", "failed").containsEntry("retry_at", null);
		assertThat(attempts(wrongShape).getFirst().get("error").toString())
			.startsWith("UnreadableJobException: the payload does not fit Note");
		assertThat(attempts(notAnObject).getFirst().get("error").toString())
			.startsWith("UnreadableJobException: the payload does not fit Note");

		jobs.enqueue(TestJobHandlers.RECORD, new Note("after the broken ones"));
		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("after the broken ones"));

		await().atMost(Duration.ofSeconds(15)).until(() -> attempts(unknownType).size() == 1);
		assertThat(attempts(unknownType).getFirst()).containsEntry("outcome", "failed")
			.containsEntry("error", "unknown job type 'no.such.type': no worker has a handler for it (waited 0 min)");
		assertThat(jdbc.sql("SELECT count(*) FROM job WHERE type = 'no.such.type'").query(Integer.class).single())
			.isZero();
	}

	@Test
	void uniqueEnqueueReturnsTheJobWaitingWithThatKey() {
		jobs.pause(Jobs.Pausable.type(TestJobHandlers.RECORD.name()));
		double enqueuedBefore = enqueuedCount();
		try {
			JobId first = transaction
				.execute((status) -> jobs.enqueueUnique(TestJobHandlers.RECORD, new Note("unique-1"), "same-key"));
			JobId second = jobs.enqueueUnique(TestJobHandlers.RECORD, new Note("unique-2"), "same-key");
			JobId other = jobs.enqueueUnique(TestJobHandlers.RECORD, new Note("unique-3"), "other-key");

			assertThat(second).isEqualTo(first);
			assertThat(other).isNotEqualTo(first);
			assertThat(jdbc.sql("SELECT count(*) FROM job WHERE unique_key = 'same-key'").query(Integer.class).single())
				.isOne();
			assertThat(enqueuedCount() - enqueuedBefore).as("jobs counted as enqueued").isEqualTo(2);
		}
		finally {
			jobs.resume(Jobs.Pausable.type(TestJobHandlers.RECORD.name()));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> recorded.contains("unique-1") && recorded.contains("unique-3"));
		assertThat(recorded).doesNotContain("unique-2");
	}

	@Test
	void aUniqueJobForLaterWaitsOnceForItsTime() {
		java.time.Instant later = java.time.Instant.now()
			.plusSeconds(3)
			.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

		JobId first = jobs.enqueueUniqueAt(later, TestJobHandlers.RECORD, new Note("later-1"), "later-key");
		JobId again = jobs.enqueueUniqueAt(later, TestJobHandlers.RECORD, new Note("later-2"), "later-key");

		assertThat(again).isEqualTo(first);
		assertThat(jdbc.sql("SELECT run_at FROM job WHERE unique_key = 'later-key'")
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).isEqualTo(later);
		await().atMost(Duration.ofSeconds(15)).until(() -> recorded.contains("later-1"));
		assertThat(java.time.Instant.now()).as("when it had run").isAfterOrEqualTo(later);
		assertThat(recorded).doesNotContain("later-2");
	}

	@Test
	void uniqueEnqueueFromTwoOpenTransactionsCommitsBothWithOneJob() throws Exception {
		jobs.pause(Jobs.Pausable.type(TestJobHandlers.RECORD.name()));
		try {
			CountDownLatch firstEnqueued = new CountDownLatch(1);
			CountDownLatch commitFirst = new CountDownLatch(1);
			ExecutorService callers = Executors.newFixedThreadPool(2);
			Future<JobId> first = callers.submit(() -> transaction.execute((status) -> {
				JobId id = jobs.enqueueUnique(TestJobHandlers.RECORD, new Note("concurrent-1"), "concurrent-key");
				firstEnqueued.countDown();
				await().atMost(Duration.ofSeconds(10)).until(() -> commitFirst.getCount() == 0);
				return id;
			}));
			firstEnqueued.await(10, TimeUnit.SECONDS);
			// blocks on the first transaction's row until it commits
			Future<JobId> second = callers.submit(() -> transaction.execute((status) -> jobs
				.enqueueUnique(TestJobHandlers.RECORD, new Note("concurrent-2"), "concurrent-key")));
			Thread.sleep(300);
			assertThat(second).as("second caller waits for the first transaction").isNotDone();
			commitFirst.countDown();

			assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.get(10, TimeUnit.SECONDS));
			assertThat(jdbc.sql("SELECT count(*) FROM job WHERE unique_key = 'concurrent-key'")
				.query(Integer.class)
				.single()).isOne();
			callers.shutdown();
		}
		finally {
			jobs.resume(Jobs.Pausable.type(TestJobHandlers.RECORD.name()));
		}
	}

	@Test
	void snoozedJobRunsAgainWithoutUsingItsAttempts() {
		JobId id = jobs.enqueue(TestJobHandlers.SNOOZING, new Note("snoozed"));

		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("snoozed"));
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).size() == 4);
		assertThat(attempts(id)).extracting((run) -> run.get("outcome"))
			.containsExactly("snoozed", "snoozed", "failed", "succeeded");
	}

	@Test
	void discardedJobEndsAtOnceWithoutRetries() throws InterruptedException {
		JobId id = jobs.enqueue(TestJobHandlers.DISCARDING, new Note("discard me"));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> attempts(id).size() == 1 && pending(TestJobHandlers.DISCARDING) == 0);
		Thread.sleep(Duration.ofMillis(300).toMillis());
		assertThat(attempts(id)).singleElement()
			.satisfies((run) -> assertThat(run).containsEntry("outcome", "discarded")
				.containsEntry("retry_at", null)
				.containsEntry("error", "Discard: nothing to do for discard me"));
		assertThat(app.getBean(JobMonitor.class).job(id))
			.hasValueSatisfying((job) -> assertThat(job.canRetry()).isTrue());
	}

	@Test
	void cancellingARunningJobInterruptsItsHandlerWhichSeesTheCancellation() {
		JobId id = jobs.enqueue(TestJobHandlers.CANCELLABLE, new Note("long"));
		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("long started"));

		jobs.cancel(id);

		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("long saw its cancellation"));
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).size() == 1);
		assertThat(attempts(id).getFirst()).containsEntry("outcome", "cancelled").containsEntry("retry_at", null);
		assertThat(pending(TestJobHandlers.CANCELLABLE)).isZero();
	}

	@Test
	void handlerIgnoringItsTimeoutMakesTheWorkerNotReadyUntilItReturns() {
		JobId id = jobs.enqueue(TestJobHandlers.STUCK, new Note("stuck"));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(readiness("jobWorker")).isEqualTo("DOWN"));
		// on the management port (a worker's only one) the details name the job, as the
		// operations guide tells an operator to look there
		JsonNode worker = Http.json(port(), "/actuator/health").at("/components/jobWorker");
		assertThat(worker.at("/status").asString()).isEqualTo("DOWN");
		assertThat(worker.at("/details/stuck/0").asString()).startsWith(id + " (deadline ");
		assertThat(jdbc.sql("SELECT leased_by FROM job WHERE id = ?").param(id.value()).query(String.class).single())
			.as("the lease stays with the stuck thread")
			.isNotNull();

		await().atMost(Duration.ofSeconds(15)).until(() -> recorded.contains("stuck"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(readiness("jobWorker")).isEqualTo("UP"));
		assertThat(attempts(id)).singleElement()
			.satisfies((run) -> assertThat(run).containsEntry("outcome", "failed")
				.containsEntry("error", "JobTimeoutException: timed out after 300 ms"));
	}

	@Test
	void rowsOfWorkersDeadForAnHourAreRemovedWhileRecentlyDeadOnesStay() {
		jdbc.sql("""
				INSERT INTO job_worker (name, roles, threads, started_at, last_heartbeat)
				VALUES ('long-dead', 'worker', 8, now() - interval '3 hours', now() - interval '2 hours'),
				       ('just-dead', 'worker', 8, now() - interval '3 hours', now() - interval '5 minutes')
				""").update();

		await().atMost(Duration.ofSeconds(15))
			.until(() -> jdbc.sql("SELECT count(*) FROM job_worker WHERE name = 'long-dead'")
				.query(Integer.class)
				.single() == 0);
		assertThat(jdbc.sql("SELECT count(*) FROM job_worker WHERE name = 'just-dead'").query(Integer.class).single())
			.isOne();
	}

	@Test
	void anExceptionThatCannotDescribeItselfStillEndsTheAttempt() {
		JobId id = jobs.enqueue(TestJobHandlers.UNSPEAKABLE, new Note("unspeakable"));

		await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id).size() == 1);
		assertThat(attempts(id).getFirst()).containsEntry("outcome", "failed").containsEntry("retry_at", null);
		assertThat(attempts(id).getFirst().get("error").toString()).contains("its message could not be read");
		assertThat(pending(TestJobHandlers.UNSPEAKABLE)).isZero();
	}

	@Test
	void operatorCancelsAPendingJobAndRetriesIt() {
		JobId id = jobs.enqueueAt(Instant.now().plusSeconds(3600), TestJobHandlers.RECORD, new Note("cancel me"));

		jobs.cancel(id);

		assertThat(jdbc.sql("SELECT count(*) FROM job WHERE id = ?").param(id.value()).query(Integer.class).single())
			.isZero();
		assertThat(attempts(id)).singleElement()
			.satisfies((run) -> assertThat(run).containsEntry("outcome", "cancelled"));
		assertThatThrownBy(() -> jobs.cancel(id)).isInstanceOf(IllegalStateException.class);

		jobs.retry(id);

		await().atMost(Duration.ofSeconds(10)).until(() -> recorded.contains("cancel me"));
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts(id).size() == 2);
		assertThat(attempts(id).get(1)).containsEntry("outcome", "succeeded");
		assertThatThrownBy(() -> jobs.retry(id)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("has not failed");
	}

	@Test
	void aJobClaimedWithItsCancelAlreadyRequestedEndsCancelledWithoutRunning() {
		// as a retry that met an operator's cancel leaves it:
		// waiting, due, cancel requested
		long id = jdbc.sql("""
				INSERT INTO job (type, queue, payload, max_attempts, attempt, cancel_requested)
				VALUES ('test.record', 'default', '{"text": "cancelled before it ran"}', 5, 1, true) RETURNING id
				""").query(Long.class).single();
		JobId job = new JobId("test.record", id);

		await().atMost(Duration.ofSeconds(10)).until(() -> attempts(job).size() == 1);
		assertThat(attempts(job).getFirst()).containsEntry("outcome", "cancelled");
		assertThat(recorded).doesNotContain("cancelled before it ran");
	}

	@Test
	void aCancelThatMeetsAClaimCommittingMeanwhileFlagsTheNowRunningJob() throws Exception {
		long id = jdbc.sql("""
				INSERT INTO job (type, queue, payload, max_attempts, run_at)
				VALUES ('test.claimed-elsewhere', 'default', '{}', 5, now() + interval '1 hour') RETURNING id
				""").query(Long.class).single();
		JobId job = new JobId("test.claimed-elsewhere", id);

		try (Connection worker = app.getBean(DataSource.class).getConnection()) {
			worker.setAutoCommit(false);
			worker.createStatement()
				.executeUpdate(
						"UPDATE job SET state = 'running', leased_by = 'elsewhere', attempt = 1 WHERE id = " + id);
			Future<?> cancel = Executors.newVirtualThreadPerTaskExecutor().submit(() -> jobs.cancel(job));
			await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock'
					  AND query LIKE 'WITH target AS%'
					""").query(Integer.class).single() == 1);
			worker.commit();
			cancel.get(10, TimeUnit.SECONDS);
		}

		assertThat(jdbc.sql("SELECT cancel_requested FROM job WHERE id = ?").param(id).query(Boolean.class).single())
			.as("the running job's cancel flag")
			.isTrue();
		jdbc.sql("DELETE FROM job WHERE id = ?").param(id).update();
	}

	@Test
	void jobMetricsAppearInPrometheus() {
		JobId id = jobs.enqueue(TestJobHandlers.RECORD, new Note("measured"));
		await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id).size() == 1);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(Http.get(port(), "/actuator/prometheus").body())
				.containsPattern("vitrine_jobs_enqueued_total\\{[^}]*type=\"test.record\"[^}]*} [1-9]")
				.containsPattern("vitrine_jobs_succeeded_total\\{[^}]*type=\"test.record\"[^}]*} [1-9]")
				.containsPattern("vitrine_jobs_latency_seconds_bucket\\{[^}]*type=\"test.record\"")
				.containsPattern("vitrine_jobs_duration_seconds_count\\{[^}]*type=\"test.record\"")
				.containsPattern("vitrine_jobs_queue_depth\\{[^}]*type=\"test.record\"[^}]*} 0")
				.contains("vitrine_jobs_oldest_pending_seconds{")
				.contains("vitrine_jobs_running{")
				.containsPattern("vitrine_jobs_workers_alive\\{[^}]*} 1.0"));
	}

	@Test
	void monitorFindsJobsByStateTypeTimeAndPayloadText() {
		Instant before = Instant.now().minusSeconds(1);
		JobId wanted = jobs.enqueue(TestJobHandlers.RECORD, new Note("needle in the payload"));
		jobs.enqueue(TestJobHandlers.RECORD, new Note("hay"));
		await().atMost(Duration.ofSeconds(10)).until(() -> attempts(wanted).size() == 1);
		JobMonitor monitor = app.getBean(JobMonitor.class);

		assertThat(
				monitor.jobs(new JobMonitor.JobFilter(JobState.SUCCEEDED, "test.record", before, null, "NEEDLE", 50)))
			.extracting(JobMonitor.JobSummary::id)
			.containsExactly(wanted);
		assertThat(monitor.jobs(new JobMonitor.JobFilter(JobState.FAILED, null, before, null, "needle", 50))).isEmpty();
		assertThat(monitor.jobs(new JobMonitor.JobFilter(null, null, null, before, "needle", 50))).isEmpty();
		assertThat(monitor.job(wanted)).hasValueSatisfying((detail) -> {
			assertThat(detail.state()).isEqualTo(JobState.SUCCEEDED);
			assertThat(detail.payload()).contains("needle in the payload");
			assertThat(detail.attempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.worker()).isNotBlank());
		});
	}

	private static double enqueuedCount() {
		Counter enqueued = app.getBean(MeterRegistry.class)
			.find("vitrine.jobs.enqueued")
			.tag("type", TestJobHandlers.RECORD.name())
			.counter();
		return (enqueued != null) ? enqueued.count() : 0;
	}

	/** The component's status in the readiness group, as a balancer or gate reads it. */
	private static String readiness(String component) {
		return Http.json(port(), "/actuator/health/readiness").at("/components/" + component + "/status").asString();
	}

	private static int port() {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	private static int pending(JobType<?> type) {
		return jdbc.sql("SELECT count(*) FROM job WHERE type = ?").param(type.name()).query(Integer.class).single();
	}

	private static List<Map<String, Object>> attempts(JobId id) {
		return jdbc.sql("SELECT * FROM job_run WHERE job_id = ? ORDER BY id").params(id.value()).query().listOfRows();
	}

	private static Duration gap(Map<String, Object> earlier, Map<String, Object> later) {
		return Duration.between(((java.sql.Timestamp) earlier.get("finished_at")).toInstant(),
				((java.sql.Timestamp) later.get("started_at")).toInstant());
	}

	private static JobId insertRaw(String type, String payload) {
		long id = jdbc.sql("""
				INSERT INTO job (type, queue, payload, max_attempts) VALUES (?, 'default', CAST(? AS jsonb), 5)
				RETURNING id
				""").params(type, payload).query(Long.class).single();
		return new JobId(type, id);
	}

}
