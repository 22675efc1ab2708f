package dev.vitrine.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import dev.vitrine.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes (the built jar, or the test class path for a job that halts its JVM)
 * crashing, freezing and outliving their lease, on one PostgreSQL with a web process in
 * this JVM that enqueues and reads the tables.
 */
class JobCrashesIT {

	private static final int THREADS = 8;

	/** Heartbeat 500 ms x 4: a lease of 2 s. */
	private static final Map<String, String> SHORT_LEASE = Map.of("VITRINE_JOBS_HEARTBEAT_INTERVAL", "500ms",
			"VITRINE_JOBS_MISSED_HEARTBEATS", "4", "VITRINE_JOBS_THREADS", Integer.toString(THREADS));

	private static final Duration LEASE = Duration.ofSeconds(2);

	private JobsCluster cluster;

	private Jobs jobs;

	private JdbcClient jdbc;

	@BeforeEach
	void startWebProcess() {
		this.cluster = JobsCluster.start("job_crashes");
		this.jobs = this.cluster.jobs();
		this.jdbc = this.cluster.jdbc();
	}

	@AfterEach
	void stopWebProcess() {
		this.cluster.close();
	}

	@Test
	void everyJobSucceedsExactlyOnceWhileAWorkerIsKilledThreeTimes() {
		int total = 10_000;
		int batches = 10;
		List<Integer> killAfterBatch = List.of(1, 4, 7);
		List<AppProcess> workers = new ArrayList<>();
		List<Long> killedPids = new ArrayList<>();
		List<Long> ids = new ArrayList<>();
		int inFlight = 0;
		try {
			for (String name : List.of("chaos-a", "chaos-b", "chaos-victim-0")) {
				workers.add(launchWorker(name, SHORT_LEASE));
			}
			workers.forEach(this::awaitStarted);
			AppProcess victim = workers.get(2);
			for (int batch = 0; batch < batches; batch++) {
				List<DiagnosticJob> payloads = IntStream.range(0, total / batches)
					.mapToObj((i) -> new DiagnosticJob(ThreadLocalRandom.current().nextInt(4), false))
					.toList();
				this.jobs.enqueueAll(DiagnosticJob.TYPE, payloads).forEach((id) -> ids.add(id.value()));
				if (killAfterBatch.contains(batch)) {
					AppProcess doomed = victim;
					await().atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(2))
						.until(() -> runningOn(doomed) > 0);
					doomed.kill();
					killedPids.add(doomed.pid());
					// what it held when it died (running, or finished and not
					// recorded): its lease has not expired, so nobody took them
					inFlight += runningOn(doomed);
					victim = launchWorker("chaos-victim-" + killedPids.size(), SHORT_LEASE);
					workers.add(victim);
					awaitStarted(victim);
				}
			}
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> this.jdbc.sql("SELECT count(*) FROM job").query(Integer.class).single() == 0);
		}
		finally {
			workers.forEach(AppProcess::close);
		}

		assertThat(ids).hasSize(total).doesNotHaveDuplicates();
		assertThat(killedPids).hasSize(3);
		List<Long> notExactlyOnce = this.jdbc.sql("""
				SELECT id FROM unnest(CAST(:ids AS bigint[])) AS ours(id)
				WHERE (SELECT count(*) FROM job_run r WHERE r.job_id = ours.id AND r.outcome = 'succeeded') <> 1
				""").param("ids", ids.toArray(Long[]::new)).query(Long.class).list();
		assertThat(notExactlyOnce).as("jobs without exactly one succeeded attempt").isEmpty();
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM job_run WHERE outcome <> 'succeeded' AND error NOT LIKE 'worker lost:%'")
			.query(Integer.class)
			.single()).as("attempts that failed for another reason than a lost worker").isZero();
		int ranTwice = this.jdbc.sql("""
				SELECT count(*) FROM (SELECT job_id FROM job_run GROUP BY job_id
				                      HAVING count(*) > 1 OR bool_or(error LIKE 'worker lost:%')) again
				""").query(Integer.class).single();
		int lostAttempts = this.jdbc.sql("SELECT count(*) FROM job_run WHERE error LIKE 'worker lost:%'")
			.query(Integer.class)
			.single();
		System.out.printf("chaos: %d jobs ran more than once, %d lost attempts, %d in flight at the %d kills%n",
				ranTwice, lostAttempts, inFlight, killedPids.size());
		assertThat(ranTwice).as("jobs that ran again").isLessThanOrEqualTo(inFlight);
		List<String> lostOn = this.jdbc.sql("SELECT DISTINCT worker FROM job_run WHERE error LIKE 'worker lost:%'")
			.query(String.class)
			.list();
		assertThat(lostOn).as("workers that lost attempts")
			.allSatisfy((worker) -> assertThat(killedPids)
				.anySatisfy((pid) -> assertThat(worker).contains("#" + pid + ".")));
		assertThat(this.jdbc.sql("SELECT count(*) FROM job").query(Integer.class).single()).isZero();
	}

	@Test
	void aWorkerFrozenPastItsLeaseWritesNothingForTheJobsAnotherWorkerTookOver() {
		int count = 3;
		try (AppProcess frozen = startWorker("frozen", SHORT_LEASE)) {
			List<Long> ids = IntStream.range(0, count)
				.mapToObj((i) -> this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(6000, false)).value())
				.toList();
			await().atMost(Duration.ofSeconds(20)).until(() -> runningOn(frozen) == count);
			frozen.suspend();
			// the frozen worker's lease expires while the other one starts, which takes
			// it back and runs the jobs again
			try (AppProcess rescuer = startWorker("rescuer", SHORT_LEASE)) {
				await().atMost(Duration.ofSeconds(30)).until(() -> runningOn(rescuer) == count);
				// its jobs' sleeps are over by now: the frozen worker finishes them at
				// once and tries to write their success
				frozen.resume();
				frozen.awaitLine("lost its lease", Duration.ofSeconds(30));
				await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(this::succeeded));
				// the frozen worker had every chance to write by now
				await().pollDelay(Duration.ofSeconds(1)).until(() -> true);

				for (long id : ids) {
					List<String> succeededOn = this.jdbc
						.sql("SELECT worker FROM job_run WHERE job_id = ? AND outcome = 'succeeded'")
						.param(id)
						.query(String.class)
						.list();
					assertThat(succeededOn).as("succeeded attempts of job %d", id)
						.singleElement()
						.asString()
						.contains("#" + rescuer.pid() + ".");
					assertThat(this.jdbc.sql(
							"SELECT worker || ' ' || outcome || ' ' || coalesce(error, '') FROM job_run WHERE job_id = ? AND worker LIKE ?")
						.param(id)
						.param("%#" + frozen.pid() + ".%")
						.query(String.class)
						.list()).as("attempts of job %d recorded for the frozen worker", id)
						.singleElement()
						.asString()
						.contains("failed worker lost:");
				}
			}
		}
	}

	@Test
	void aJobRunningLongerThanTheLeaseOnALiveWorkerIsNotTakenByAnother() {
		try (AppProcess first = launchWorker("long-a", SHORT_LEASE);
				AppProcess second = launchWorker("long-b", SHORT_LEASE)) {
			awaitStarted(first);
			awaitStarted(second);
			long id = this.jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(LEASE.toMillis() * 3, false)).value();
			await().atMost(Duration.ofSeconds(40)).until(() -> !jobExists(id));

			assertThat(this.jdbc.sql("SELECT outcome || ' ' || coalesce(error, '') FROM job_run WHERE job_id = ?")
				.param(id)
				.query(String.class)
				.list()).as("attempts").containsExactly("succeeded ");
		}
	}

	@Test
	void aJobThatHaltsItsWorkerEndsFailedAfterItsMaxAttempts() {
		long id = this.jobs.enqueue(PoisonWorkerMain.POISON, new PoisonWorkerMain.Poison("halt")).value();
		int starts = 0;
		// each attempt takes a worker down; the next one takes the job back once the
		// lease expired, and runs it again while attempts are left
		while (jobExists(id)) {
			assertThat(starts).as("workers started for a job of %d attempts", PoisonWorkerMain.POISON.maxAttempts())
				.isLessThan(PoisonWorkerMain.POISON.maxAttempts() + 2);
			starts++;
			try (AppProcess worker = AppProcess.startMain("poison-" + starts, PoisonWorkerMain.class,
					this.cluster.environment("worker", SHORT_LEASE))) {
				worker.awaitLine("Worker .* started", Duration.ofMinutes(2));
				await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isAlive() || !jobExists(id));
				if (!worker.isAlive()) {
					assertThat(worker.output()).contains("Poison job");
				}
			}
		}

		List<String> attempts = this.jdbc.sql(
				"SELECT attempt || ' ' || outcome || ' ' || (retry_at IS NOT NULL) || ' ' || error FROM job_run WHERE job_id = ? ORDER BY id")
			.param(id)
			.query(String.class)
			.list();
		assertThat(attempts).hasSize(PoisonWorkerMain.POISON.maxAttempts());
		assertThat(attempts.get(0)).startsWith("1 failed true worker lost:");
		assertThat(attempts.get(1)).startsWith("2 failed false worker lost:");
		assertThat(starts).isEqualTo(PoisonWorkerMain.POISON.maxAttempts() + 1);
	}

	@Test
	void aWorkerKilledWithJobsClaimedAheadChargesNoAttemptToTheJobsThatWereOnlyWaiting() {
		// unlogged: a mark's commit does not wait for the disk, so marks
		// finish fast enough for the worker to claim ahead
		this.jdbc.sql("CREATE UNLOGGED TABLE test_started (job_id bigint PRIMARY KEY)").update();
		// marks, then the poison, then more marks: when the poison starts, the worker has
		// claimed marks ahead of its two threads at the rate the first ones finished
		int marks = 3000;
		this.jobs.enqueueAll(PoisonWorkerMain.MARK,
				IntStream.range(0, marks).mapToObj(PoisonWorkerMain.Mark::new).toList());
		long poison = this.jobs.enqueue(PoisonWorkerMain.POISON_ONCE, new PoisonWorkerMain.Poison("halt")).value();
		this.jobs.enqueueAll(PoisonWorkerMain.MARK,
				IntStream.range(marks, 2 * marks).mapToObj(PoisonWorkerMain.Mark::new).toList());
		Map<String, String> twoThreads = Map.of("VITRINE_JOBS_HEARTBEAT_INTERVAL", "500ms",
				"VITRINE_JOBS_MISSED_HEARTBEATS", "4", "VITRINE_JOBS_THREADS", "2");
		int starts = 0;
		// a poison claimed ahead gets its attempt back once and is then
		// claimed only where its worker starts next: two deaths at most
		while (jobExists(poison) || remainingJobs() > 0) {
			assertThat(starts).as("workers started").isLessThan(4);
			starts++;
			try (AppProcess worker = AppProcess.startMain("marks-" + starts, PoisonWorkerMain.class,
					this.cluster.environment("worker", twoThreads))) {
				worker.awaitLine("Worker .* started", Duration.ofMinutes(2));
				await().atMost(Duration.ofMinutes(1))
					.until(() -> !worker.isAlive() || (!jobExists(poison) && remainingJobs() == 0));
			}
		}

		// a mark charged its one attempt on a killed worker ran there,
		// but for one per death on the other thread, which may have died
		// before its note committed
		int chargedUnstarted = this.jdbc.sql("""
				SELECT count(*) FROM job_run r
				WHERE r.job_type = 'test.mark' AND r.outcome = 'failed' AND r.error LIKE 'worker lost:%'
				  AND NOT EXISTS (SELECT 1 FROM test_started s WHERE s.job_id = r.job_id)
				""").query(Integer.class).single();
		assertThat(chargedUnstarted).as("marks charged an attempt they never started").isLessThanOrEqualTo(starts - 1);
		int givenBack = this.jdbc.sql("""
				SELECT count(*) FROM job_run
				WHERE job_type = 'test.mark' AND outcome = 'snoozed' AND error LIKE 'worker lost:%claimed ahead%'
				""").query(Integer.class).single();
		assertThat(givenBack).as("marks claimed ahead when the poison killed their worker").isPositive();
		assertThat(this.jdbc.sql("SELECT outcome FROM job_run WHERE job_id = ? ORDER BY id DESC LIMIT 1")
			.param(poison)
			.query(String.class)
			.single()).isEqualTo("failed");
	}

	private int remainingJobs() {
		return this.jdbc.sql("SELECT count(*) FROM job").query(Integer.class).single();
	}

	private boolean jobExists(long id) {
		return this.jdbc.sql("SELECT count(*) FROM job WHERE id = ?").param(id).query(Integer.class).single() > 0;
	}

	private AppProcess startWorker(String name, Map<String, String> settings) {
		return this.cluster.startWorker(name, settings);
	}

	private AppProcess launchWorker(String name, Map<String, String> settings) {
		return this.cluster.launchWorker(name, settings);
	}

	private void awaitStarted(AppProcess worker) {
		JobsCluster.awaitStarted(worker);
	}

	private boolean succeeded(long id) {
		return this.cluster.succeeded(id);
	}

	private int runningOn(AppProcess worker) {
		return this.cluster.runningOn(worker);
	}

}
