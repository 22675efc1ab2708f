package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vitrine.jobs.FaultyDataSource.Phase;
import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.ops.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Crash at every statement: the database connection breaks under each statement the
 * engine runs (enqueue, claim, complete, heartbeat and reap, release, retry, cancel), in
 * turn, before the statement reaches the database or after it ran with its answer lost.
 * Once the fault is gone the engine must recover on its own: no job is lost, none stays
 * running, and none succeeds twice.
 */
class JobEngineFaultsTests {

	record Note(String text) {
	}

	/** Takes a little while, so that claims, heartbeats and outcomes interleave. */
	static final JobType<Note> WORK = JobType.of("faults.work", Note.class)
		.backoff(Duration.ofMillis(50), Duration.ofMillis(100));

	/**
	 * Its first attempt ignores interrupts and outlives its worker's shutdown grace;
	 * later ones succeed at once.
	 */
	static final JobType<Note> STUBBORN = JobType.of("faults.stubborn", Note.class);

	/** One attempt, failing while {@link #failuresLeft} says so. */
	static final JobType<Note> ONCE = JobType.of("faults.once", Note.class).maxAttempts(1);

	/** Runs until an operator cancels it. */
	static final JobType<Note> CANCELLABLE = JobType.of("faults.cancellable", Note.class);

	static final KnownJobTypes TYPES = KnownJobTypes.of(List.of(WORK, STUBBORN, ONCE, CANCELLABLE));

	/** Lease 400 ms (4 heartbeats of 100 ms), so the reaper acts within a second. */
	static final JobsSettings SETTINGS = new JobsSettings(2, Duration.ofMillis(50), Duration.ofMillis(100), 4,
			Duration.ofMillis(300), Duration.ofDays(1), Duration.ofMillis(250), Duration.ofHours(1), 256);

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

	static final Set<String> started = ConcurrentHashMap.newKeySet();

	static volatile boolean letStubbornGo;

	private static PGSimpleDataSource database;

	private static HikariDataSource clean;

	private static JdbcClient db;

	private static PgJobs cleanJobs;

	private static FaultyDataSource faulty;

	private final List<JobWorker> workers = new ArrayList<>();

	private final List<HikariDataSource> pools = new ArrayList<>();

	private final List<DatabaseNotifications> notifications = new ArrayList<>();

	@BeforeAll
	static void migrate() {
		String url = TestPostgres.newDatabase("job_faults");
		Flyway.configure()
			.dataSource(url, TestPostgres.user(), null)
			.locations("classpath:db/migration")
			.load()
			.migrate();
		database = new PGSimpleDataSource();
		database.setURL(url);
		database.setUser(TestPostgres.user());
		clean = pool("clean", database);
		db = JdbcClient.create(clean);
		cleanJobs = new PgJobs(db, JSON, new JobMetrics(new SimpleMeterRegistry()), TYPES);
		faulty = new FaultyDataSource(database);
		db.sql("CREATE TABLE caller_write (note text NOT NULL)").update();
	}

	@AfterAll
	static void close() {
		clean.close();
	}

	@BeforeEach
	void cleanSlate() {
		faulty.disarm();
		db.sql("TRUNCATE job, job_run, job_minute, job_worker, job_pause, caller_write").update();
		runs.clear();
		failuresLeft.clear();
		started.clear();
		letStubbornGo = false;
	}

	@AfterEach
	void stopEverything() {
		faulty.disarm();
		letStubbornGo = true;
		for (JobWorker worker : this.workers) {
			if (worker.isRunning()) {
				worker.stop();
			}
		}
		this.notifications.forEach(DatabaseNotifications::close);
		this.pools.forEach(HikariDataSource::close);
	}

	static Stream<Arguments> firstThree() {
		return Stream.of(Phase.values()).flatMap((phase) -> Stream.of(1, 2, 3).map((k) -> Arguments.of(k, phase)));
	}

	static Stream<Arguments> firstFour() {
		return Stream.of(Phase.values()).flatMap((phase) -> Stream.of(1, 2, 3, 4).map((k) -> Arguments.of(k, phase)));
	}

	/**
	 * The caller's transaction writes its own row and enqueues with three statements; the
	 * k-th breaks. The transaction fails as a whole, and the caller's retry enqueues
	 * every job once.
	 */
	@ParameterizedTest(name = "enqueue statement {0} breaks {1}")
	@MethodSource("firstThree")
	void enqueueBreaks(int k, Phase phase) {
		HikariDataSource app = faultyPool("app");
		PgJobs jobs = new PgJobs(JdbcClient.create(app), JSON, new JobMetrics(new SimpleMeterRegistry()), TYPES);
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(app));
		Runnable business = () -> transaction.executeWithoutResult((status) -> {
			JdbcClient.create(app).sql("INSERT INTO caller_write VALUES ('order placed')").update();
			jobs.enqueue(WORK, new Note("a"));
			jobs.enqueueAll(WORK, List.of(new Note("b"), new Note("c")));
			jobs.enqueueUnique(WORK, new Note("d"), "key-d");
		});

		faulty.arm("INSERT INTO job \\(", k, phase);
		assertThatThrownBy(business::run).isInstanceOf(RuntimeException.class);
		assertThat(faulty.fired()).isTrue();
		faulty.disarm();
		assertThat(count("SELECT count(*) FROM job")).as("jobs of the failed transaction").isZero();
		assertThat(count("SELECT count(*) FROM caller_write")).as("the caller's own write").isZero();

		business.run();
		assertThat(count("SELECT count(*) FROM caller_write")).isOne();
		startWorker("w");
		awaitSettled(4, "succeeded");
		assertThat(runs.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
		// each enqueued once (four jobs in the history, above), run once, or again only
		// after a lease the loaded machine let lapse (400 ms here): the history then
		// holds that attempt too
		Map<String, Integer> attempts = new HashMap<>();
		db.sql("SELECT payload ->> 'text', count(*) FROM job_run GROUP BY 1")
			.query((rs, row) -> attempts.put(rs.getString(1), rs.getInt(2)))
			.list();
		runs.forEach((note, ran) -> assertThat(ran.get()).as("runs of %s; attempts in its history", note)
			.isBetween(1, attempts.get(note)));
	}

	@ParameterizedTest(name = "claim {0} breaks {1}")
	@MethodSource("firstThree")
	void claimBreaks(int k, Phase phase) {
		enqueueWork(6);
		faulty.arm("WITH slot AS", k, phase);
		startWorker("w");

		awaitFired();
		awaitSettled(6, "succeeded");
		// a claim whose answer was lost holds jobs the worker did not know it had: it
		// gives
		// them back as never started, so no attempt of theirs is counted as lost
		assertThat(count("SELECT count(*) FROM job_run WHERE error LIKE 'worker lost%'")).as("attempts lost").isZero();
	}

	@Test
	void aClaimWhoseAnswerWasLostGoesBackAsNeverStartedEvenWhenTheFetcherStallsPastItsLease() {
		enqueueWork(6);
		faulty.arm("WITH slot AS", 1, Phase.AFTER);
		// the fetcher, which gives such claims back before its next one, held back for
		// three
		// leases: the keeper's reaper, on its own thread, would find them expired first
		faulty.stallAfterFault("jobs-fetcher", SETTINGS.lease().multipliedBy(3));
		startWorker("w");

		awaitFired();
		awaitSettled(6, "succeeded");
		assertThat(count("SELECT count(*) FROM job_run WHERE error LIKE 'worker lost%'")).as("attempts lost").isZero();
	}

	@Test
	void jobsOfAClaimWhoseAnswerWasLostRunEvenWhenAllowedOneAttempt() {
		for (int i = 0; i < 6; i++) {
			cleanJobs.enqueue(ONCE, new Note("once-" + i));
		}
		faulty.arm("WITH slot AS", 1, Phase.AFTER);
		startWorker("w");

		awaitFired();
		awaitSettled(6, "succeeded");
		assertThat(count("SELECT count(*) FROM job_run WHERE outcome = 'failed'")).as("failed attempts").isZero();
	}

	@ParameterizedTest(name = "complete {0} breaks {1}")
	@MethodSource("firstThree")
	void completeBreaks(int k, Phase phase) {
		enqueueWork(6);
		faulty.arm("WITH outcome AS", k, phase);
		startWorker("w");

		awaitFired();
		awaitSettled(6, "succeeded");
	}

	/**
	 * A worker died holding two jobs; the heartbeats and reaps of the worker that takes
	 * them back break in turn (the first heartbeat is the one {@code start()} runs).
	 */
	@ParameterizedTest(name = "heartbeat or reap {0} breaks {1}")
	@MethodSource("firstFour")
	void heartbeatOrReapBreaks(int k, Phase phase) {
		enqueueWork(4);
		List<JobTable.Claimed> abandoned = new JobTable(clean, "dead-worker", SETTINGS.lease())
			.claim(new String[] { WORK.name() }, new String[] { WORK.queue() }, new int[] { 2 }, 2);
		assertThat(abandoned).hasSize(2);
		faulty.arm("WITH alive AS|WITH expired AS", k, phase);
		startWorker("w");

		awaitFired();
		awaitSettled(4, "succeeded");
		assertThat(count("SELECT count(*) FROM job_run WHERE outcome = 'failed' AND worker = 'dead-worker'"))
			.as("attempts of the dead worker recorded as lost")
			.isEqualTo(2);
	}

	/**
	 * A worker stops while two jobs ignore its shutdown grace until interrupted; handing
	 * them back breaks. Another worker runs them.
	 */
	@ParameterizedTest(name = "release breaks {0}")
	@EnumSource(Phase.class)
	void releaseBreaks(Phase phase) {
		cleanJobs.enqueue(STUBBORN, new Note("s1"));
		cleanJobs.enqueue(STUBBORN, new Note("s2"));
		JobWorker first = startWorker("first");
		await().atMost(Duration.ofSeconds(10)).until(() -> started.containsAll(Set.of("s1", "s2")));

		faulty.arm("WITH released AS", 1, phase);
		first.stop();
		assertThat(faulty.fired()).isTrue();
		faulty.disarm();
		letStubbornGo = true;
		startWorker("second");

		awaitSettled(2, "succeeded");
		assertThat(count("SELECT count(*) FROM job_run WHERE outcome = 'snoozed'")).as("released attempts")
			.isEqualTo((phase == Phase.AFTER) ? 2 : 0);
	}

	/**
	 * An operator retries a failed job and the statement breaks. Asking again either
	 * retries it or says it already waits; either way it runs once.
	 */
	@ParameterizedTest(name = "retry breaks {0}")
	@EnumSource(Phase.class)
	void retryBreaks(Phase phase) {
		failuresLeft.put("r", new AtomicInteger(1));
		JobId id = cleanJobs.enqueue(ONCE, new Note("r"));
		startWorker("w");
		awaitSettled(1, "failed");
		PgJobs jobs = new PgJobs(JdbcClient.create(faultyPool("app")), JSON, new JobMetrics(new SimpleMeterRegistry()),
				TYPES);

		faulty.arm("WHERE r.outcome IN", 1, phase);
		assertThatThrownBy(() -> jobs.retry(id)).isNotInstanceOf(IllegalStateException.class);
		faulty.disarm();
		if (phase == Phase.BEFORE) {
			jobs.retry(id);
		}
		else {
			assertThatThrownBy(() -> jobs.retry(id)).isInstanceOf(IllegalStateException.class);
		}

		awaitSettled(1, "succeeded");
		assertThat(outcomes(id.value())).containsExactly("failed", "succeeded");
	}

	@ParameterizedTest(name = "cancelling a waiting job breaks {0}")
	@EnumSource(Phase.class)
	void cancelWaitingBreaks(Phase phase) {
		JobId id = cleanJobs.enqueueAt(Instant.now().plusSeconds(3600), WORK, new Note("later"));
		PgJobs jobs = new PgJobs(JdbcClient.create(faultyPool("app")), JSON, new JobMetrics(new SimpleMeterRegistry()),
				TYPES);

		faulty.arm("WITH target AS", 1, phase);
		assertThatThrownBy(() -> jobs.cancel(id)).isNotInstanceOf(IllegalStateException.class);
		faulty.disarm();
		if (phase == Phase.BEFORE) {
			jobs.cancel(id);
		}
		else {
			assertThatThrownBy(() -> jobs.cancel(id)).isInstanceOf(IllegalStateException.class);
		}

		awaitSettled(1, "cancelled");
		assertThat(outcomes(id.value())).containsExactly("cancelled");
	}

	@ParameterizedTest(name = "cancelling a running job breaks {0}")
	@EnumSource(Phase.class)
	void cancelRunningBreaks(Phase phase) {
		JobId id = cleanJobs.enqueue(CANCELLABLE, new Note("until cancelled"));
		startWorker("w");
		await().atMost(Duration.ofSeconds(10)).until(() -> started.contains("until cancelled"));
		PgJobs jobs = new PgJobs(JdbcClient.create(faultyPool("app")), JSON, new JobMetrics(new SimpleMeterRegistry()),
				TYPES);

		faulty.arm("WITH target AS", 1, phase);
		assertThatThrownBy(() -> jobs.cancel(id)).isNotInstanceOf(IllegalStateException.class);
		faulty.disarm();
		// asking again flags it again, or finds it already ended by the first request
		try {
			jobs.cancel(id);
		}
		catch (IllegalStateException ex) {
			assertThat(phase).isEqualTo(Phase.AFTER);
		}

		awaitSettled(1, "cancelled");
		assertThat(outcomes(id.value())).containsExactly("cancelled");
	}

	private static void enqueueWork(int count) {
		for (int i = 0; i < count; i++) {
			cleanJobs.enqueue(WORK, new Note("job-" + i));
		}
	}

	/**
	 * Waits until the job table is empty and {@code jobs} jobs have a last attempt with
	 * {@code outcome}, then checks that no job succeeded twice and each handler ran.
	 */
	private static void awaitSettled(int jobs, String outcome) {
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			assertThat(db.sql("SELECT id, state, leased_by, lease_expires_at FROM job").query().listOfRows())
				.as("jobs not finished")
				.isEmpty();
			assertThat(count("""
					SELECT count(*) FROM job_run r
					WHERE r.outcome = ? AND r.retry_at IS NULL
					  AND NOT EXISTS (SELECT 1 FROM job_run later WHERE later.job_id = r.job_id AND later.id > r.id)
					""", outcome)).as("jobs ended %s", outcome).isEqualTo(jobs);
		});
		assertThat(count("SELECT count(DISTINCT job_id) FROM job_run")).as("jobs in the history").isEqualTo(jobs);
		assertThat(db.sql("SELECT job_id FROM job_run WHERE outcome = 'succeeded' GROUP BY job_id HAVING count(*) > 1")
			.query(Long.class)
			.list()).as("jobs that succeeded twice").isEmpty();
	}

	private static void awaitFired() {
		await().atMost(Duration.ofSeconds(10)).until(faulty::fired);
		faulty.disarm();
	}

	private static List<String> outcomes(long id) {
		return db.sql("SELECT outcome FROM job_run WHERE job_id = ? ORDER BY id").param(id).query(String.class).list();
	}

	private static int count(String sql, Object... params) {
		return db.sql(sql).params(params).query(Integer.class).single();
	}

	/**
	 * Starts a worker on its own pool over the faulty connections, as a worker process
	 * has its own engine pool; a start whose first heartbeat breaks is a process that
	 * failed to start, and is started again.
	 */
	private JobWorker startWorker(String name) {
		for (int tries = 1;; tries++) {
			String unique = name + "-" + tries + "-" + Long.toHexString(System.nanoTime());
			HikariDataSource pool = faultyPool(unique);
			JobTable table = new JobTable(pool, unique, SETTINGS.lease());
			DatabaseNotifications notifications = new DatabaseNotifications(pool::getConnection);
			this.notifications.add(notifications);
			JobWorker worker = new JobWorker(notifications, table, handlers(), JSON,
					new JobMetrics(new SimpleMeterRegistry()), SETTINGS, new WorkerIdentity(unique, "worker", "test"));
			try {
				worker.start();
				this.workers.add(worker);
				return worker;
			}
			catch (RuntimeException ex) {
				if (tries == 3) {
					throw ex;
				}
			}
		}
	}

	private HikariDataSource faultyPool(String name) {
		HikariDataSource pool = pool(name, faulty);
		this.pools.add(pool);
		return pool;
	}

	private static HikariDataSource pool(String name, javax.sql.DataSource connections) {
		HikariConfig config = new HikariConfig();
		config.setDataSource(connections);
		config.setPoolName("faults-" + name);
		config.setMaximumPoolSize(4);
		config.setMinimumIdle(1);
		return new HikariDataSource(config);
	}

	private static List<JobHandler<?>> handlers() {
		return List.of(handler(WORK, (note, context) -> {
			Thread.sleep(100);
			runs.computeIfAbsent(note.text(), (text) -> new AtomicInteger()).incrementAndGet();
		}), handler(STUBBORN, (note, context) -> {
			if (started.add(note.text())) {
				// ignores the shutdown grace on purpose, but returns when
				// interrupted after it: a handler still running then would
				// not be handed back at all
				while (!letStubbornGo && !Thread.currentThread().isInterrupted()) {
					try {
						Thread.sleep(10);
					}
					catch (InterruptedException ex) {
						break;
					}
				}
				throw new IllegalStateException("the first attempt's outcome must never be recorded");
			}
			runs.computeIfAbsent(note.text(), (text) -> new AtomicInteger()).incrementAndGet();
		}), handler(ONCE, (note, context) -> {
			AtomicInteger left = failuresLeft.get(note.text());
			if (left != null && left.getAndDecrement() > 0) {
				throw new IllegalStateException("failing on purpose");
			}
			runs.computeIfAbsent(note.text(), (text) -> new AtomicInteger()).incrementAndGet();
		}), handler(CANCELLABLE, (note, context) -> {
			started.add(note.text());
			Instant giveUp = Instant.now().plusSeconds(10);
			while (!context.isCancelled() && Instant.now().isBefore(giveUp)) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					// the cancellation interrupts: look at the flag
				}
			}
		}));
	}

	private static JobHandler<Note> handler(JobType<Note> type, Work work) {
		return new JobHandler<>() {

			@Override
			public JobType<Note> type() {
				return type;
			}

			@Override
			public void handle(Note payload, JobContext context) throws Exception {
				work.run(payload, context);
			}

		};
	}

	interface Work {

		void run(Note note, JobContext context) throws Exception;

	}

}
