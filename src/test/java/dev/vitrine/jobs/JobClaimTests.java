package dev.vitrine.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.vitrine.ops.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What the worker's statements do on real PostgreSQL: what one claim takes (order,
 * limits, pauses), and how outcomes, heartbeats, the reaper and the sweep meet other
 * transactions.
 */
class JobClaimTests {

	private static JdbcClient jdbc;

	private static JobTable table;

	private static DataSource dataSource;

	@BeforeAll
	static void migrate() {
		String url = TestPostgres.newDatabase("job_claim");
		Flyway.configure()
			.dataSource(url, TestPostgres.user(), null)
			.locations("classpath:db/migration")
			.load()
			.migrate();
		dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null);
		jdbc = JdbcClient.create(dataSource);
		table = new JobTable(dataSource, "claim-tests", Duration.ofSeconds(30));
	}

	@BeforeEach
	void empty() {
		jdbc.sql("TRUNCATE job, job_pause").update();
	}

	@Test
	void aClaimTakesSmallerPriorityFirstThenTheLongestDue() {
		long lowOld = insert("claim.a", "q", 5, "2 minutes");
		long highNew = insert("claim.b", "q", 0, "1 minute");
		long highOld = insert("claim.a", "q", 0, "3 minutes");

		String[] types = { "claim.a", "claim.b" };
		String[] queues = { "q", "q" };

		// one slot at a time: each claim takes the best of what waits
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(highOld);
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(highNew);
		assertThat(ids(table.claim(types, queues, new int[] { 1, 1 }, 1))).containsExactly(lowOld);
	}

	@Test
	void aClaimTakesNoMoreOfATypeThanItsFreeSlotsAndNothingNotYetDue() {
		for (int i = 0; i < 5; i++) {
			insert("claim.a", "q", 0, "1 minute");
		}
		long future = jdbc.sql("""
				INSERT INTO job (type, queue, payload, max_attempts, run_at)
				VALUES ('claim.b', 'q', '{}', 3, now() + interval '1 hour') RETURNING id
				""").query(Long.class).single();

		List<JobTable.Claimed> claimed = table.claim(new String[] { "claim.a", "claim.b" }, new String[] { "q", "q" },
				new int[] { 2, 8 }, 8);

		assertThat(claimed).hasSize(2).allSatisfy((job) -> {
			assertThat(job.type()).isEqualTo("claim.a");
			assertThat(job.attempt()).as("counted at the claim").isOne();
		});
		assertThat(ids(claimed)).doesNotContain(future);
	}

	@Test
	void aClaimSkipsPausedQueuesAndTypes() {
		insert("claim.a", "qa", 0, "1 minute");
		long other = insert("claim.b", "qb", 0, "1 minute");
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('queue', 'qa')").update();

		assertThat(ids(
				table.claim(new String[] { "claim.a", "claim.b" }, new String[] { "qa", "qb" }, new int[] { 8, 8 }, 8)))
			.containsExactly(other);

		jdbc.sql("TRUNCATE job_pause").update();
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('type', 'claim.a')").update();
		assertThat(table.claim(new String[] { "claim.a" }, new String[] { "qa" }, new int[] { 8 }, 8)).isEmpty();
	}

	@Test
	void aPausedQueueHoldsBackTheJobsEnqueuedOnItWhateverTheirTypeDeclaresNow() {
		// enqueued before a deploy moved its type to another queue
		long before = insert("claim.a", "old-queue", 0, "2 minutes");
		long after = insert("claim.a", "new-queue", 0, "1 minute");
		jdbc.sql("INSERT INTO job_pause (scope, name) VALUES ('queue', 'old-queue')").update();

		assertThat(ids(table.claim(new String[] { "claim.a" }, new String[] { "new-queue" }, new int[] { 8 }, 8)))
			.containsExactly(after);
		assertThat(jdbc.sql("SELECT state FROM job WHERE id = ?").param(before).query(String.class).single())
			.isEqualTo("pending");
	}

	@Test
	void aWorkerWritesNoOutcomeForAClaimAnotherWorkerNowHoldsEvenAtTheSameVersion() {
		long id = insert("claim.a", "q", 0, "1 minute");
		JobTable.Claimed mine = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		// the reaper took it back, an operator retried it (versions count from 0
		// again) and another worker claimed it: the same version, another holder
		jdbc.sql("UPDATE job SET leased_by = 'someone-else' WHERE id = ?").param(id).update();

		List<Long> written = table.complete(List.of(new JobTable.Finished(mine.id(), mine.version(),
				AttemptOutcome.SUCCEEDED, null, Instant.now(), Instant.now(), null, null)));

		assertThat(written).isEmpty();
		assertThat(jdbc.sql("SELECT leased_by FROM job WHERE id = ?").param(id).query(String.class).single())
			.isEqualTo("someone-else");
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?").param(id).query(Integer.class).single())
			.isZero();
	}

	@Test
	void anOutcomeFromBeforeAnOperatorsRetryIsNotWrittenOnTheRetriedJobEvenByTheSameWorker() {
		JobType<Map<String, Object>> once = JobType.of("claim.a", (Class<Map<String, Object>>) (Class<?>) Map.class)
			.maxAttempts(1);
		PgJobs jobs = new PgJobs(jdbc, JsonMapper.builder().build(), new JobMetrics(new SimpleMeterRegistry()),
				KnownJobTypes.of(List.of(once)));
		long id = insert("claim.a", "q", 0, "1 minute");
		JobTable.Claimed frozen = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		// its worker froze past the lease: the reaper ends it (no attempt left), an
		// operator retries it, and the same worker, awake again, claims it anew
		jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second', max_attempts = 1 WHERE id = ?")
			.param(id)
			.update();
		assertThat(table.reapExpired(List.of())).isEqualTo(1);
		jobs.retry(new JobId("claim.a", id));
		JobTable.Claimed again = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		assertThat(again.id()).isEqualTo(id);

		List<Long> written = table.complete(List.of(new JobTable.Finished(frozen.id(), frozen.version(),
				AttemptOutcome.SUCCEEDED, null, Instant.now(), Instant.now(), null, null)));

		assertThat(written).as("the frozen attempt's outcome").isEmpty();
		assertThat(jdbc.sql("SELECT state FROM job WHERE id = ?").param(id).query(String.class).single())
			.isEqualTo("running");
	}

	@Test
	void aRetryWhoseJobIsCancelledMeanwhileIsWrittenAndTheJobComesBackAtOnceToEndCancelled() throws Exception {
		long id = insert("claim.a", "q", 0, "1 minute");
		JobTable.Claimed mine = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		JobTable.Finished failedWithRetry = new JobTable.Finished(mine.id(), mine.version(), AttemptOutcome.FAILED,
				Instant.now().plus(Duration.ofHours(1)), Instant.now(), Instant.now(), "boom", "trace");

		// the cancel commits after the outcome's statement took its snapshot, before it
		// reaches the row: it waits on the cancel's lock meanwhile
		List<Long> written;
		try (Connection operator = dataSource.getConnection()) {
			operator.setAutoCommit(false);
			operator.createStatement().executeUpdate("UPDATE job SET cancel_requested = true WHERE id = " + id);
			Future<List<Long>> outcome = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> table.complete(List.of(failedWithRetry)));
			awaitWaitingOnALock();
			operator.commit();
			written = outcome.get(10, TimeUnit.SECONDS);
		}

		assertThat(written).containsExactly(id);
		assertThat(jdbc.sql("SELECT state = 'pending' AND cancel_requested AND run_at <= now() FROM job WHERE id = ?")
			.param(id)
			.query(Boolean.class)
			.single()).as("waiting again, due now, cancel requested").isTrue();
		JobTable.Claimed again = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1)
			.getFirst();
		assertThat(again.cancelRequested()).as("the worker sees the cancel at the next claim").isTrue();
	}

	@Test
	void aHeartbeatSkipsAClaimWhoseOutcomeIsBeingWrittenInsteadOfWaitingForIt() throws Exception {
		insert("claim.a", "q", 0, "1 minute");
		insert("claim.a", "q", 0, "1 minute");
		List<JobTable.Claimed> claimed = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 2 },
				2);
		JobTable.Claimed locked = claimed.get(0);
		JobTable.Claimed free = claimed.get(1);
		jdbc.sql("UPDATE job SET lease_expires_at = now() WHERE state = 'running'").update();
		JobTable.WorkerRow row = new JobTable.WorkerRow("worker", "test", 1, new String[] { "claim.a" }, Instant.now());

		List<JobTable.Lease> leases;
		try (Connection completer = dataSource.getConnection()) {
			completer.setAutoCommit(false);
			completer.createStatement().executeQuery("SELECT id FROM job WHERE id = " + locked.id() + " FOR UPDATE");
			leases = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> table.heartbeat(row, Map.of(locked.id(), locked.version(), free.id(), free.version())))
				.get(5, TimeUnit.SECONDS);
			completer.rollback();
		}

		assertThat(leases).extracting(JobTable.Lease::id)
			.as("still this worker's")
			.containsExactlyInAnyOrder(locked.id(), free.id());
		assertThat(jdbc.sql("SELECT id FROM job WHERE lease_expires_at > now() + interval '20 seconds'")
			.query(Long.class)
			.list()).as("leases renewed").containsExactly(free.id());
	}

	@Test
	void aJobWhoseWorkerWasLostRunsAgainAfterItsTypesBackoffNotAtOnce() {
		long id = insert("claim.a", "q", 0, "1 minute");
		table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 }, 1);
		jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id = ?").param(id).update();
		JobType<String> type = JobType.of("claim.a", String.class).backoff(Duration.ofHours(1), Duration.ofHours(2));

		assertThat(table.reapExpired(List.of(type))).isOne();

		assertThat(jdbc.sql("SELECT run_at > now() + interval '29 minutes' FROM job WHERE id = ?")
			.param(id)
			.query(Boolean.class)
			.single()).as("due after half the backoff at least").isTrue();
	}

	@Test
	void aLostWorkersJobsClaimedAheadGetTheirAttemptBackAndComeBackOnlyWhereTheyStartNext() {
		long running = insert("claim.a", "q", 0, "3 minutes");
		long ahead = insert("claim.a", "q", 0, "2 minutes");
		long alsoAhead = insert("claim.a", "q", 0, "1 minute");
		// one thread free: the first starts now, the other two wait for a thread
		table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 3 }, 3, 1);
		jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second'").update();
		JobType<String> type = JobType.of("claim.a", String.class).backoff(Duration.ofHours(1), Duration.ofHours(2));

		assertThat(table.reapExpired(List.of(type))).isEqualTo(3);

		assertThat(jdbc.sql("""
				SELECT job_id || ' ' || outcome FROM job_run WHERE job_id IN (:ids) ORDER BY job_id
				""").param("ids", List.of(running, ahead, alsoAhead)).query(String.class).list())
			.containsExactly(running + " failed", ahead + " snoozed", alsoAhead + " snoozed");
		assertThat(jdbc.sql("""
				SELECT id || ' ' || (max_attempts - attempt) || ' ' || (run_at <= now()) || ' ' || lost_by_worker
				FROM job ORDER BY id
				""").query(String.class).list()).as("attempts left, due now, lost")
			.containsExactly(running + " 2 false true", ahead + " 3 true true", alsoAhead + " 3 true true");
		// claimed again, a lost job goes only where its worker starts
		// next: one place here
		List<JobTable.Claimed> again = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 3 }, 3,
				1);
		assertThat(ids(again)).containsExactly(ahead);
		assertThat(again.get(0).startsNext()).isTrue();
	}

	@Test
	void aJobGivenBackUnstartedGivesWayToAJobEnqueuedMeanwhileUnderItsUniqueKey() {
		insertUnique("claim.a", "render-home");
		long other = insert("claim.a", "q", 0, "1 second");
		List<JobTable.Claimed> claimed = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 2 },
				2);
		// claimed, the key no longer holds back a new job
		long newer = insertUnique("claim.a", "render-home");

		assertThat(table.releaseUnstarted(claimed)).isEqualTo(2);

		assertThat(
				jdbc.sql("SELECT id || ' ' || state || ' ' || attempt FROM job ORDER BY id").query(String.class).list())
			.as("the newer under the key, the other given back")
			.containsExactly(other + " pending 0", newer + " pending 0");
	}

	@Test
	void aJobGivenBackWhileAnOpenTransactionEnqueuesItsKeyDoesNotWaitForItAndLosesNoAttempt() throws Exception {
		long given = insertUnique("claim.a", "render-home");
		List<JobTable.Claimed> claimed = table.claim(new String[] { "claim.a" }, new String[] { "q" }, new int[] { 1 },
				1);
		long newer;
		int released;
		try (Connection caller = dataSource.getConnection()) {
			// an enqueueUnique in a caller's transaction, which commits only after the
			// give-back: waiting for it would never end
			newer = insertUniqueUncommitted(caller, "claim.a", "render-home");
			released = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> table.releaseUnstarted(claimed))
				.get(10, TimeUnit.SECONDS);
			caller.commit();
		}

		assertThat(released).isEqualTo(1);
		assertThat(jdbc.sql("SELECT id || ' ' || state || ' ' || attempt || '/' || max_attempts FROM job ORDER BY id")
			.query(String.class)
			.list())
			.as("given back outside the unique index, its attempt given back as one more allowed; the newer beside it")
			.containsExactly(given + " pending 1/4", newer + " pending 0/3");
	}

	@Test
	void aJobGivenBackWhileATransactionEnqueuingItsKeyCommitsGivesWayToThatJob() throws Exception {
		JobTable patient = new JobTable(dataSource, "claim-tests", Duration.ofSeconds(30), Duration.ofSeconds(30));
		insertUnique("claim.a", "render-home");
		List<JobTable.Claimed> claimed = patient.claim(new String[] { "claim.a" }, new String[] { "q" },
				new int[] { 1 }, 1);
		long newer;
		Future<Integer> released;
		try (Connection caller = dataSource.getConnection()) {
			newer = insertUniqueUncommitted(caller, "claim.a", "render-home");
			released = Executors.newVirtualThreadPerTaskExecutor().submit(() -> patient.releaseUnstarted(claimed));
			await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH given AS%'
					""").query(Integer.class).single() == 1);
			caller.commit();
		}

		assertThat(released.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(
				jdbc.sql("SELECT id || ' ' || state || ' ' || attempt FROM job ORDER BY id").query(String.class).list())
			.as("the newer job alone under the key")
			.containsExactly(newer + " pending 0");
	}

	@Test
	void theUnknownTypeSweepSkipsJobsLockedElsewhereInsteadOfWaiting() throws Exception {
		long locked = insert("claim.nobody-runs-this", "q", 0, "1 hour");
		long free = insert("claim.nobody-runs-this", "q", 0, "1 hour");
		long alsoFree = insert("claim.nobody-runs-this", "q", 0, "1 hour");

		int failed;
		try (Connection other = dataSource.getConnection()) {
			other.setAutoCommit(false);
			other.createStatement().executeQuery("SELECT id FROM job WHERE id = " + locked + " FOR UPDATE");
			failed = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> table.failUnrunnable(Duration.ofMinutes(1)))
				.get(5, TimeUnit.SECONDS);
			other.rollback();
		}

		assertThat(failed).as("jobs failed").isEqualTo(2);
		assertThat(jdbc.sql("SELECT id FROM job").query(Long.class).list()).containsExactly(locked)
			.doesNotContain(free, alsoFree);
	}

	@Test
	void theUnknownTypeSweepWaitsItsGraceAfterTheLastWorkerThatRanTheTypeWasSeen() {
		jdbc.sql("TRUNCATE job_worker").update();
		long old = insert("claim.restarting", "q", 0, "1 hour");
		// its only worker stopped a minute ago, long past its lease: a rolling restart
		jdbc.sql("""
				INSERT INTO job_worker (name, roles, threads, types, started_at, last_heartbeat)
				VALUES ('restarting', 'worker', 2, ARRAY['claim.restarting'], now() - interval '2 hours',
				        now() - interval '1 minute')
				""").update();

		assertThat(table.failUnrunnable(Duration.ofMinutes(10))).as("failed while its worker restarts").isZero();

		jdbc.sql("UPDATE job_worker SET last_heartbeat = now() - interval '11 minutes'").update();
		assertThat(table.failUnrunnable(Duration.ofMinutes(10))).as("failed once no worker ran it for the grace")
			.isOne();
		assertThat(jdbc.sql("SELECT count(*) FROM job WHERE id = ?").param(old).query(Integer.class).single()).isZero();
	}

	@Test
	void withNoThreadFreeOnlyALostWorkersJobStartsNextAndEveryOtherWaitsItsTurn() {
		String[] types = { "a" };
		String[] queues = { "q" };
		long first = insert("a", "q", 0, "3 seconds");
		long second = insert("a", "q", 0, "2 seconds");
		long lost = insert("a", "q", 0, "1 second");
		jdbc.sql("UPDATE job SET lost_by_worker = true WHERE id = ?").param(lost).update();

		List<JobTable.Claimed> claimed = table.claim(types, queues, new int[] { 3 }, 3, 0);

		assertThat(claimed).extracting(JobTable.Claimed::id, JobTable.Claimed::startsNext)
			.containsExactly(tuple(lost, true), tuple(first, false), tuple(second, false));
		jdbc.sql("UPDATE job SET state = 'pending', leased_by = NULL, started_at = NULL, lease_expires_at = NULL")
			.update();
		jdbc.sql("UPDATE job SET lost_by_worker = false").update();
		assertThat(table.claim(types, queues, new int[] { 3 }, 3, 0)).as("claimed with every thread busy")
			.hasSize(3)
			.noneMatch(JobTable.Claimed::startsNext);
	}

	@Test
	void aLostWorkersJobCountsAgainstItsTypesFreeSlotsLikeAnyOther() {
		String[] types = { "limited", "wide" };
		String[] queues = { "q", "q" };
		long waiting = insert("limited", "q", 0, "2 seconds");
		long lost = insert("limited", "q", 0, "1 second");
		long alsoLost = insert("limited", "q", 0, "1 second");
		long wide = insert("wide", "q", 0, "1 second");
		long wideLost = insert("wide", "q", 0, "1 second");
		jdbc.sql("UPDATE job SET lost_by_worker = true WHERE id IN (?, ?, ?)")
			.params(lost, alsoLost, wideLost)
			.update();

		// "limited" has one free slot (its concurrency), "wide" three; four threads free
		List<JobTable.Claimed> claimed = table.claim(types, queues, new int[] { 1, 3 }, 8, 4);

		assertThat(claimed).filteredOn(job -> job.type().equals("limited"))
			.as("one job of the type limited to one, the lost one first")
			.extracting(JobTable.Claimed::id)
			.containsExactly(lost);
		assertThat(ids(claimed)).contains(wide, wideLost).doesNotContain(waiting, alsoLost);
	}

	@Test
	void aLostJobLeftForTheNextClaimLeavesItsTypesSlotToAJobThatWaits() {
		String[] types = { "u", "t" };
		String[] queues = { "q", "q" };
		long lostFirst = insert("u", "q", 0, "3 seconds");
		long lostNext = insert("t", "q", 0, "2 seconds");
		long waiting = insert("t", "q", 0, "1 second");
		jdbc.sql("UPDATE job SET lost_by_worker = true WHERE id IN (?, ?)").params(lostFirst, lostNext).update();

		// no thread free: one lost job starts, the other waits for the next claim
		List<JobTable.Claimed> claimed = table.claim(types, queues, new int[] { 1, 1 }, 4, 0);

		assertThat(claimed).extracting(JobTable.Claimed::id, JobTable.Claimed::startsNext)
			.containsExactly(tuple(lostFirst, true), tuple(waiting, false));
		assertThat(jdbc.sql("SELECT state FROM job WHERE id = ?").param(lostNext).query(String.class).single())
			.isEqualTo("pending");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anOutcomeForAClaimTakenOverWritesNothingAndTheLogSaysSo(CapturedOutput output) {
		long id = insert("a", "q", 0, "1 second");
		JobTable.Claimed claim = table.claim(new String[] { "a" }, new String[] { "q" }, new int[] { 1 }, 1).get(0);
		// the reaper took it back and another worker claimed it: a newer version
		jdbc.sql("UPDATE job SET version = version + 1, leased_by = 'other-worker' WHERE id = ?").param(id).update();

		Completer completer = new Completer(table, () -> {
		});
		completer.start();
		try {
			Instant now = Instant.now();
			completer
				.add(new JobTable.Finished(id, claim.version(), AttemptOutcome.SUCCEEDED, null, now, now, null, null));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getAll().contains("Job " + id + " lost its lease"));
		}
		finally {
			completer.stop();
		}

		assertThat(output.getAll()).contains("its outcome (succeeded) was not recorded");
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?").param(id).query(Integer.class).single())
			.isZero();
		assertThat(jdbc.sql("SELECT leased_by FROM job WHERE id = ?").param(id).query(String.class).single())
			.isEqualTo("other-worker");
		assertThat(completer.unwritten()).isEmpty();
	}

	private static void awaitWaitingOnALock() {
		await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH outcome AS%'
				""").query(Integer.class).single() == 1);
	}

	private static long insert(String type, String queue, int priority, String ago) {
		return jdbc.sql("""
				INSERT INTO job (type, queue, priority, payload, max_attempts, run_at)
				VALUES (:type, :queue, :priority, '{}', 3, now() - CAST(:ago AS interval)) RETURNING id
				""")
			.param("type", type)
			.param("queue", queue)
			.param("priority", priority)
			.param("ago", ago)
			.query(Long.class)
			.single();
	}

	private static long insertUnique(String type, String key) {
		return jdbc
			.sql("""
					INSERT INTO job (type, queue, payload, max_attempts, unique_key) VALUES (?, 'q', '{}', 3, ?) RETURNING id
					""")
			.params(type, key)
			.query(Long.class)
			.single();
	}

	/** {@code enqueueUnique} in a transaction the caller commits later. */
	private static long insertUniqueUncommitted(Connection caller, String type, String key) throws SQLException {
		caller.setAutoCommit(false);
		try (PreparedStatement insert = caller.prepareStatement(
				"INSERT INTO job (type, queue, payload, max_attempts, unique_key) VALUES (?, 'q', '{}', 3, ?) RETURNING id")) {
			insert.setString(1, type);
			insert.setString(2, key);
			ResultSet inserted = insert.executeQuery();
			inserted.next();
			return inserted.getLong(1);
		}
	}

	private static List<Long> ids(List<JobTable.Claimed> claimed) {
		return claimed.stream().map(JobTable.Claimed::id).toList();
	}

}
