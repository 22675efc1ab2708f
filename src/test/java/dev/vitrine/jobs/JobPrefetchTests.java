package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.TestJobHandlers.Note;
import dev.vitrine.ops.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claiming ahead of free threads: short jobs are claimed in large batches, slow ones are
 * left in the database for any worker, and jobs claimed ahead go back unstarted at
 * shutdown. A worker with two threads in this JVM, on a fresh database per test.
 */
class JobPrefetchTests {

	/** Holds its thread until {@link #open} or until the worker shuts down. */
	static final JobType<Note> GATE = JobType.of("test.gate", Note.class);

	static volatile CountDownLatch open = new CountDownLatch(1);

	static final AtomicInteger gatesEntered = new AtomicInteger();

	private ConfigurableApplicationContext app;

	private JdbcClient jdbc;

	private Jobs jobs;

	@AfterEach
	void stop() {
		open.countDown();
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void shortJobsAreClaimedManyMoreThanThreadsAtATime() {
		start("job_prefetch_short");
		// a claim stamps the jobs it takes with its transaction's time: logged as it
		// happens, where sampling the running jobs could miss every large claim on a
		// busy machine
		this.jdbc.sql("""
				CREATE TABLE claim_log (claimed_at timestamptz NOT NULL);
				CREATE FUNCTION log_claim() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				    INSERT INTO claim_log VALUES (NEW.started_at);
				    RETURN NULL;
				END
				$$;
				CREATE TRIGGER log_claim AFTER UPDATE ON job FOR EACH ROW
				    WHEN (OLD.state = 'pending' AND NEW.state = 'running') EXECUTE FUNCTION log_claim();
				""").update();
		List<Note> notes = IntStream.range(0, 3000).mapToObj((i) -> new Note("short-" + i)).toList();
		this.jobs.enqueueAll(TestJobHandlers.RECORD, notes);

		await().atMost(Duration.ofSeconds(60)).until(() -> pending() + held() == 0);

		assertThat(this.jdbc.sql("SELECT max(n) FROM (SELECT count(*) AS n FROM claim_log GROUP BY claimed_at) c")
			.query(Integer.class)
			.single()).as("jobs one claim took for a worker with 2 threads").isGreaterThan(2);
	}

	@Test
	void aWorkerVacuumsTheJobTableAfterABurstOfJobs() {
		start("job_prefetch_vacuum");
		// autovacuum would also count, and hold the table when the worker tries
		this.jdbc.sql("ALTER TABLE job SET (autovacuum_enabled = false)").update();
		List<Note> notes = IntStream.range(0, JobWorker.VACUUM_EVERY + 100)
			.mapToObj((i) -> new Note("burst-" + i))
			.toList();
		this.jobs.enqueueAll(TestJobHandlers.RECORD, notes);

		await().atMost(Duration.ofSeconds(60)).until(() -> pending() + held() == 0);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'job'")
				.query(Long.class)
				.single() > 0);
	}

	@Test
	void slowJobsAreLeftInTheDatabaseForAnyWorkerWithAFreeThread() throws InterruptedException {
		start("job_prefetch_slow");
		IntStream.range(0, 6).forEach((i) -> this.jobs.enqueue(GATE, new Note("gate-" + i)));

		await().atMost(Duration.ofSeconds(10)).until(() -> gatesEntered.get() == 2);
		// the fetcher wakes on every poll meanwhile: none of them claims the rest
		Thread.sleep(600);

		assertThat(held()).as("jobs held by a worker with 2 busy threads").isEqualTo(2);
		assertThat(pending()).isEqualTo(4);
	}

	@Test
	void jobsClaimedAheadBehindJobsThatTurnOutSlowGoBackToTheDatabase() {
		int waiting = startWithShortJobsClaimedBehindTwoGates("job_prefetch_stale");

		// the gates hold both threads: the jobs behind them are given back for any worker
		await().atMost(Duration.ofSeconds(5)).until(() -> heldAfterTheGates() == 0);
		assertThat(held()).as("jobs held: the gates").isEqualTo(2);
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM job
				WHERE payload ->> 'text' LIKE 'after-%' AND state = 'pending' AND attempt = 0
				""").query(Integer.class).single()).as("given back, no attempt counted").isEqualTo(500);
		// a claim and a give-back each add one to version: claimed again by this
		// worker, its threads still held, a job would be at 3 or 4
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM job WHERE payload ->> 'text' LIKE 'after-%' AND version > 2
				""").query(Integer.class).single()).as("given back more than once while no thread was free").isZero();
		assertThat(runsAfterTheGates()).as("history of the jobs given back").isZero();
		assertThat(waiting).isPositive();
	}

	@Test
	void jobsClaimedAheadGoBackUnstartedAtShutdownWithoutUsingAnAttempt() {
		int waiting = startWithShortJobsClaimedBehindTwoGates("job_prefetch_shutdown");
		assertThat(waiting).as("short jobs claimed behind the gates").isPositive();

		// the gates return as soon as they see the shutdown: were the jobs behind them
		// not given back first, the freed threads would run them
		this.app.close();
		this.app = null;

		assertThat(runsAfterTheGates()).as("attempts of the short jobs behind the gates").isZero();
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM job
				WHERE payload ->> 'text' LIKE 'after-%' AND state = 'pending' AND attempt = 0
				""").query(Integer.class).single()).as("back in the queue, no attempt counted").isEqualTo(500);
		assertThat(held()).as("jobs left claimed").isZero();
	}

	/**
	 * Starts a worker and {@link #claimShortJobsBehindTwoGates() claims short jobs behind
	 * two gates}, again on a fresh database if it claimed none ahead: how far it claims
	 * ahead follows the rate it measured, which a busy machine may hold down just then.
	 * This is the tests' starting point, not what they check.
	 */
	private int startWithShortJobsClaimedBehindTwoGates(String database) {
		int waiting = 0;
		for (int attempt = 1; attempt <= 3 && waiting == 0; attempt++) {
			if (this.app != null) {
				open.countDown();
				this.app.close();
			}
			start(database);
			waiting = claimShortJobsBehindTwoGates();
		}
		return waiting;
	}

	/**
	 * Short jobs first, so that the worker claims ahead when it reaches the two gates,
	 * then more short ones ("after-"), claimed with the gates and stuck behind them.
	 * Returns how many of those the worker holds once both gates run.
	 */
	private int claimShortJobsBehindTwoGates() {
		this.jobs.enqueueAll(TestJobHandlers.RECORD,
				IntStream.range(0, 3000).mapToObj((i) -> new Note("before-" + i)).toList());
		this.jobs.enqueueAll(GATE, List.of(new Note("gate-0"), new Note("gate-1")));
		this.jobs.enqueueAll(TestJobHandlers.RECORD,
				IntStream.range(0, 500).mapToObj((i) -> new Note("after-" + i)).toList());
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> gatesEntered.get() == 2);
		// claimed after the gates, so not started: both threads hold a gate
		return heldAfterTheGates();
	}

	private int heldAfterTheGates() {
		return this.jdbc.sql("SELECT count(*) FROM job WHERE state = 'running' AND payload ->> 'text' LIKE 'after-%'")
			.query(Integer.class)
			.single();
	}

	private int runsAfterTheGates() {
		return this.jdbc.sql("SELECT count(*) FROM job_run WHERE payload ->> 'text' LIKE 'after-%'")
			.query(Integer.class)
			.single();
	}

	private void start(String database) {
		open = new CountDownLatch(1);
		gatesEntered.set(0);
		String url = TestPostgres.newDatabase(database);
		this.app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class, GateHandler.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false", "vitrine.jobs.threads=2",
					"vitrine.jobs.poll-interval=100ms", "vitrine.jobs.shutdown-grace=3s")
			.run();
		this.jobs = this.app.getBean(Jobs.class);
		// a client of its own: it outlives the worker's context in the shutdown test
		this.jdbc = JdbcClient.create(new org.springframework.jdbc.datasource.SimpleDriverDataSource(
				new org.postgresql.Driver(), url, TestPostgres.user(), null));
	}

	private int held() {
		return this.jdbc.sql("SELECT count(*) FROM job WHERE state = 'running'").query(Integer.class).single();
	}

	private int pending() {
		return this.jdbc.sql("SELECT count(*) FROM job WHERE state = 'pending'").query(Integer.class).single();
	}

	static class GateHandler {

		@Bean
		JobHandler<Note> gateHandler() {
			return new JobHandler<>() {

				@Override
				public JobType<Note> type() {
					return GATE;
				}

				@Override
				public void handle(Note note, JobContext context) throws InterruptedException {
					gatesEntered.incrementAndGet();
					while (!context.isShuttingDown() && !open.await(20, TimeUnit.MILLISECONDS)) {
						// waiting for the test or the shutdown
					}
				}

			};
		}

	}

}
