package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.vitrine.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers as separate processes (the built jar), sharing one PostgreSQL with a web
 * process in this JVM that enqueues: wake-up across processes, a SIGKILLed worker's jobs
 * running elsewhere, and SIGTERM letting running jobs finish.
 */
class WorkerProcessesIT {

	private JobsCluster cluster;

	private Jobs jobs;

	private JdbcClient jdbc;

	@BeforeEach
	void startWebProcess() {
		this.cluster = JobsCluster.start("worker_processes");
		this.jobs = this.cluster.jobs();
		this.jdbc = this.cluster.jdbc();
	}

	@AfterEach
	void stopWebProcess() {
		this.cluster.close();
	}

	@Test
	void workerInAnotherProcessStartsACommittedJobWithinMilliseconds() {
		// polling every 60 s: only the NOTIFY can wake this worker in time
		try (AppProcess worker = startWorker("wake-up", Map.of("VITRINE_JOBS_POLL_INTERVAL", "60s"))) {
			enqueueAndWait(new DiagnosticJob(0, false));

			Instant enqueued = Instant.now();
			JobId id = this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, false));
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> succeeded(id));

			Instant started = this.jdbc.sql("SELECT started_at FROM job_run WHERE job_id = ?")
				.param(id.value())
				.query(java.sql.Timestamp.class)
				.single()
				.toInstant();
			assertThat(Duration.between(enqueued, started)).isLessThan(Duration.ofMillis(1000));
		}
	}

	@Test
	void jobsOfAKilledWorkerRunOnAnotherWorkerAfterTheLeaseExpires() {
		Map<String, String> shortLease = Map.of("VITRINE_JOBS_HEARTBEAT_INTERVAL", "1s",
				"VITRINE_JOBS_MISSED_HEARTBEATS", "4");
		List<JobId> ids;
		try (AppProcess doomed = startWorker("killed", shortLease)) {
			ids = IntStream.range(0, 4)
				.mapToObj((i) -> this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(4000, false)))
				.toList();
			await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(doomed) == 4);

			doomed.kill();
		}
		try (AppProcess survivor = startWorker("survivor", shortLease)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(this::succeeded));
			assertThat(this.jdbc
				.sql("SELECT DISTINCT worker FROM job_run WHERE outcome = 'succeeded' AND job_type = 'jobs.diagnostic'")
				.query(String.class)
				.list()).singleElement().asString().contains("#" + survivor.pid() + ".");
		}
	}

	@Test
	void sigtermLetsRunningJobsFinishAndStopsClaiming() {
		try (AppProcess worker = startWorker("sigterm", Map.of("VITRINE_JOBS_SHUTDOWN_GRACE", "20s"))) {
			List<JobId> ids = IntStream.range(0, 2)
				.mapToObj((i) -> this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(6000, false)))
				.toList();
			await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(worker) == 2);

			worker.terminate();
			worker.awaitLine("stopping: no new jobs", Duration.ofSeconds(10));
			// enqueued while the stopping worker still runs its jobs: it wakes up on the
			// NOTIFY and has free threads, but must not take it
			JobId late = this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, false));
			assertThat(runningOn(worker)).as("jobs still running in the grace period").isEqualTo(2);
			int exit = worker.awaitExit(Duration.ofSeconds(30));

			assertThat(exit).isIn(0, 143);
			assertThat(ids).allMatch(this::succeeded);
			assertThat(this.jdbc.sql("SELECT state || ' ' || attempt FROM job WHERE id = ?")
				.param(late.value())
				.query(String.class)
				.list()).as("the job enqueued during the grace period").containsExactly("pending 0");
			assertThat(this.jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?")
				.param(late.value())
				.query(Integer.class)
				.single()).as("attempts of the job enqueued during the grace period").isZero();
		}
	}

	@Test
	void sigtermReleasesAJobThatOutlastsTheGracePeriodToAnotherWorkerAtOnce() {
		JobId long1;
		Map<String, String> settings = Map.of("VITRINE_JOBS_SHUTDOWN_GRACE", "2s");
		try (AppProcess first = startWorker("release-first", settings)) {
			// long enough to outlast the grace period with a margin for a busy machine;
			// the second worker runs it all again
			long1 = this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(10_000, false));
			await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(first) == 1);

			Instant stopping = Instant.now();
			first.stop(Duration.ofSeconds(30));

			assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(15));
			assertThat(first.output()).contains("released 1 unfinished jobs");
			// the interrupted attempt queued no failure, which the completer could write
			// before the release and so use the attempt
			assertThat(first.output()).doesNotContain("attempt 1 of 3 failed");
		}
		// not picked any more: another worker takes it without waiting for the lease to
		// expire, and with its attempt given back
		assertThat(this.jdbc.sql("SELECT state || ' ' || (max_attempts - attempt) FROM job WHERE id = ?")
			.param(long1.value())
			.query(String.class)
			.single()).as("state and attempts left").isEqualTo("pending " + DiagnosticJob.TYPE.maxAttempts());
		assertThat(this.jdbc.sql("SELECT outcome || ' ' || attempt || ' ' || error FROM job_run WHERE job_id = ?")
			.param(long1.value())
			.query(String.class)
			.list()).as("attempts recorded").singleElement().asString().startsWith("snoozed 1 released unfinished");
		try (AppProcess second = startWorker("release-second", Map.of())) {
			await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(long1));
		}
	}

	private AppProcess startWorker(String name, Map<String, String> settings) {
		return this.cluster.startWorker(name, settings);
	}

	private void enqueueAndWait(DiagnosticJob job) {
		JobId id = this.jobs.enqueue(DiagnosticJob.TYPE, job);
		await().atMost(Duration.ofSeconds(10)).until(() -> succeeded(id));
	}

	private boolean succeeded(JobId id) {
		return this.cluster.succeeded(id.value());
	}

	private int runningOn(AppProcess worker) {
		return this.cluster.runningOn(worker);
	}

}
