package dev.vitrine.jobs;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The statements a worker process runs against the {@code job} table: claim, complete,
 * heartbeat, reap, release. Each is one statement, so each is atomic on its own, and each
 * writes an outcome only for the claim it holds (the row's {@code version}), so a worker
 * that lost its lease changes nothing. They run on the engine's own connections with
 * {@code synchronous_commit} off: a write lost to a database crash only makes a job run
 * again, which the at-least-once contract allows anyway.
 */
class JobTable {

	/**
	 * Adds the attempts a statement recorded (its {@code recorded} step) to the
	 * per-minute counts the monitor reads.
	 */
	static final String COUNT_BY_MINUTE = """
			INSERT INTO job_minute AS m (minute, type, outcome, count)
			SELECT date_trunc('minute', now()), job_type,
			       CASE WHEN outcome = 'failed' AND retry_at IS NOT NULL THEN 'retried' ELSE outcome END, count(*)
			FROM recorded GROUP BY 1, 2, 3
			-- one order for every writer: concurrent batches lock these rows without deadlocks
			ORDER BY 1, 2, 3
			ON CONFLICT (minute, type, outcome) DO UPDATE SET count = m.count + excluded.count
			""";

	/** How long giving back unstarted jobs waits for another transaction's lock. */
	static final Duration RELEASE_LOCK_WAIT = Duration.ofMillis(100);

	private final JdbcClient jdbc;

	private final TransactionTemplate ownTransaction;

	/** Numbers this worker's claims, to find a lost claim's jobs. */
	private final AtomicLong claims = new AtomicLong();

	/** Failed claims' numbers, each until a lease after it failed (System.nanoTime()). */
	private final Map<Long, Long> lostClaims = new LinkedHashMap<>();

	private final String worker;

	private final Duration lease;

	private final Duration releaseLockWait;

	JobTable(DataSource dataSource, String worker, Duration lease) {
		this(dataSource, worker, lease, RELEASE_LOCK_WAIT);
	}

	JobTable(DataSource dataSource, String worker, Duration lease, Duration releaseLockWait) {
		this.releaseLockWait = releaseLockWait;
		this.jdbc = JdbcClient.create(dataSource);
		this.ownTransaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		this.worker = worker;
		this.lease = lease;
	}

	/**
	 * Claims up to {@code capacity} due jobs, at most {@code free[i]} of type
	 * {@code types[i]} (declared on queue {@code queues[i]}), skipping paused types and
	 * queues, by priority then due time, and returns them in that order. The attempt is
	 * counted here. All of them are for free threads: see
	 * {@link #claim(String[], String[], int[], int, int)}.
	 */
	List<Claimed> claim(String[] types, String[] queues, int[] free, int capacity) {
		return claim(types, queues, free, capacity, capacity);
	}

	/**
	 * Claims as {@link #claim(String[], String[], int[], int)} does, and tells the first
	 * {@code startNow} apart: the caller starts those next (it has threads for them) and
	 * the rest wait, claimed ahead, behind the jobs it claimed earlier. A job claimed
	 * ahead gets its attempt back if its worker is lost, since it may not have started. A
	 * job once held by a lost worker comes first, and only into those first places: if it
	 * is the one that kills workers, its next attempt counts. With no thread free it
	 * still gets one such place, so that lost jobs do not starve while a worker is busy;
	 * other jobs do not, so that they never overtake the jobs waiting before them.
	 * @param startNow the caller's free threads, 0 or more
	 */
	List<Claimed> claim(String[] types, String[] queues, int[] free, int capacity, int startNow) {
		long token = this.claims.incrementAndGet();
		try {
			return claim(types, queues, free, capacity, startNow, token);
		}
		catch (RuntimeException ex) {
			// it may have committed and only its answer been lost, or commit later
			synchronized (this.lostClaims) {
				this.lostClaims.put(token, System.nanoTime() + this.lease.toNanos());
			}
			throw ex;
		}
	}

	/**
	 * Gives back, as never started, the jobs of claims that failed on this worker's side:
	 * a claim that committed while its answer was lost leased jobs the worker does not
	 * know it holds. A failed claim is looked for until a lease after it failed (the
	 * server may still have been running it), then left to the reaper, as is everything
	 * while the database cannot be reached. Claims that committed nothing cost a
	 * statement that changes nothing.
	 * @return how many jobs were given back
	 */
	int giveBackLostClaims() {
		synchronized (this.lostClaims) {
			int given = 0;
			long now = System.nanoTime();
			for (Iterator<Map.Entry<Long, Long>> lost = this.lostClaims.entrySet().iterator(); lost.hasNext();) {
				Map.Entry<Long, Long> claim = lost.next();
				given += this.jdbc.sql("""
						UPDATE job
						SET state = 'pending', max_attempts = max_attempts + 1, version = version + 1, leased_by = NULL,
						    started_at = NULL, lease_expires_at = NULL
						WHERE leased_by = :worker AND claim_token = :token AND state = 'running'
						""").param("worker", this.worker).param("token", claim.getKey()).update();
				if (now - claim.getValue() > 0) {
					lost.remove();
				}
			}
			return given;
		}
	}

	private List<Claimed> claim(String[] types, String[] queues, int[] free, int capacity, int startNow, long token) {
		return this.jdbc
			.sql("""
					WITH slot AS (
					    SELECT s.type, s.free
					    FROM unnest(CAST(:types AS text[]), CAST(:queues AS text[]), CAST(:free AS int[])) AS s(type, queue, free)
					    WHERE s.free > 0
					      -- a whole type skipped here costs nothing; the row test below alone would
					      -- read a paused queue's whole backlog at every claim
					      AND NOT EXISTS (SELECT 1 FROM job_pause p
					                      WHERE (p.scope = 'type' AND p.name = s.type) OR (p.scope = 'queue' AND p.name = s.queue))
					),
					due AS (
					        SELECT slot.type, slot.free, d.* FROM slot CROSS JOIN LATERAL (
					            SELECT j.id, j.priority, j.run_at, j.lost_by_worker FROM job j
					            WHERE j.type = slot.type AND j.state = 'pending' AND j.run_at <= now() AND NOT j.lost_by_worker
					              -- the row's own queue too: a job keeps the queue it was enqueued on,
					              -- which its type may have left since
					              AND NOT EXISTS (SELECT 1 FROM job_pause p WHERE p.scope = 'queue' AND p.name = j.queue)
					            ORDER BY j.priority, j.run_at, j.id
					            LIMIT slot.free
					            FOR UPDATE SKIP LOCKED
					        ) d
					        UNION ALL
					        -- the few jobs a lost worker held (their own index)
					        SELECT slot.type, slot.free, d.* FROM slot CROSS JOIN LATERAL (
					            SELECT j.id, j.priority, j.run_at, j.lost_by_worker FROM job j
					            WHERE j.type = slot.type AND j.state = 'pending' AND j.run_at <= now() AND j.lost_by_worker
					              AND NOT EXISTS (SELECT 1 FROM job_pause p WHERE p.scope = 'queue' AND p.name = j.queue)
					            ORDER BY j.priority, j.run_at, j.id
					            LIMIT least(slot.free, greatest(:startNow, 1))
					            FOR UPDATE SKIP LOCKED
					        ) d
					),
					-- a lost worker's jobs only into the places that start now: the rest stay for
					-- the next claim
					startable AS (
					    SELECT due.* FROM (
					        SELECT due.*, row_number() OVER (PARTITION BY due.lost_by_worker
					                                         ORDER BY due.priority, due.run_at, due.id) AS lost_place
					        FROM due
					    ) due
					    WHERE NOT due.lost_by_worker OR due.lost_place <= greatest(:startNow, 1)
					),
					-- both halves together within each type's free slots, lost jobs first
					within_type AS (
					    SELECT s.*, row_number() OVER (PARTITION BY s.type
					                                   ORDER BY s.lost_by_worker DESC, s.priority, s.run_at, s.id) AS place
					    FROM startable s
					),
					-- the lost jobs left all come first, so all of them start now
					picked AS (
					    SELECT w.id, w.lost_by_worker,
					           row_number() OVER (ORDER BY w.lost_by_worker DESC, w.priority, w.run_at, w.id)
					               <= CASE WHEN w.lost_by_worker THEN greatest(:startNow, 1) ELSE :startNow END AS starts_now
					    FROM within_type w
					    WHERE w.place <= w.free
					    ORDER BY w.lost_by_worker DESC, w.priority, w.run_at, w.id
					    LIMIT :capacity
					),
					claimed AS (
					    UPDATE job j
					    SET state = 'running', attempt = j.attempt + 1, version = j.version + 1, leased_by = :worker,
					        started_at = now(), lease_expires_at = now() + make_interval(secs => :lease), claim_token = :token,
					        claimed_ahead = j.id <> ALL (ARRAY(SELECT picked.id FROM picked WHERE picked.starts_now))
					    -- by primary key: joined with picked, the planner may scan the whole table
					    WHERE j.id = ANY (ARRAY(SELECT picked.id FROM picked WHERE picked.starts_now OR NOT picked.lost_by_worker))
					    RETURNING j.id, j.type, j.payload::text AS payload, j.attempt, j.max_attempts, j.version,
					              j.enqueued_at, j.run_at, j.cancel_requested, j.priority, j.claimed_ahead, j.lost_by_worker
					)
					SELECT * FROM claimed ORDER BY claimed_ahead, lost_by_worker DESC, priority, run_at, id
					""")
			.param("types", types)
			.param("queues", queues)
			.param("free", free)
			.param("capacity", capacity)
			.param("startNow", startNow)
			.param("token", token)
			.param("worker", this.worker)
			.param("lease", seconds(this.lease))
			.query((rs, row) -> new Claimed(rs.getLong("id"), rs.getString("type"), rs.getString("payload"),
					rs.getInt("attempt"), rs.getInt("max_attempts"), rs.getLong("version"),
					rs.getTimestamp("enqueued_at").toInstant(), rs.getTimestamp("run_at").toInstant(),
					rs.getBoolean("cancel_requested"), !rs.getBoolean("claimed_ahead")))
			.list();
	}

	/**
	 * Writes a batch of outcomes in one statement: each job leaves the table (finished)
	 * or goes back to waiting (retry, snooze), its attempt goes into {@code job_run}, and
	 * the per-minute counts move on. An outcome whose claim is no longer current (the
	 * lease expired and another worker took the job) is left out. Which way a job goes
	 * depends on its outcome alone, never on a column another transaction may change
	 * meanwhile: a row whose cancel committed after the snapshot would fail both tests
	 * and keep no outcome. A retry that meets a cancel is due at once and ends cancelled
	 * at its next claim.
	 * @return the ids whose outcome was written
	 */
	List<Long> complete(List<Finished> batch) {
		int size = batch.size();
		Long[] ids = new Long[size];
		Long[] versions = new Long[size];
		String[] outcomes = new String[size];
		// instants as ISO-8601 text: the driver sends no timestamp arrays
		String[] retryAts = new String[size];
		String[] startedAts = new String[size];
		String[] finishedAts = new String[size];
		String[] errors = new String[size];
		String[] stackTraces = new String[size];
		for (int i = 0; i < size; i++) {
			Finished finished = batch.get(i);
			ids[i] = finished.id();
			versions[i] = finished.version();
			outcomes[i] = finished.outcome().label();
			retryAts[i] = (finished.retryAt() != null) ? finished.retryAt().toString() : null;
			startedAts[i] = finished.startedAt().toString();
			finishedAts[i] = finished.finishedAt().toString();
			errors[i] = storable(finished.error());
			stackTraces[i] = storable(finished.stackTrace());
		}
		return this.jdbc
			.sql("""
					WITH outcome AS (
					    SELECT *
					    FROM unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[]), CAST(:outcomes AS text[]),
					                CAST(:retryAts AS timestamptz[]), CAST(:startedAts AS timestamptz[]),
					                CAST(:finishedAts AS timestamptz[]), CAST(:errors AS text[]), CAST(:stackTraces AS text[]))
					         AS o (id, version, outcome, retry_at, started_at, finished_at, error, stack_trace)
					),
					finished AS (
					    DELETE FROM job j USING outcome o
					    -- each outcome looks its job up by primary key; restricting the job rows
					    -- by the list of ids as well made the planner compare every row with every
					    -- outcome
					    WHERE o.retry_at IS NULL AND j.id = o.id AND j.version = o.version
					      -- and this worker's (a fence beside the version, which a retried job starts
					      -- above its earlier ones: PgJobs.RETRIED_VERSION). Only
					      -- running jobs have leased_by (a check on the table); naming their state made the
					      -- planner read the whole lease index rather than look up the ids.
					      AND j.leased_by = :worker
					    RETURNING j.id, j.type, j.unique_key, j.payload, j.attempt, j.enqueued_at, j.cancel_requested, o.outcome,
					              o.retry_at, o.started_at, o.finished_at, o.error, o.stack_trace
					),
					requeued AS (
					    UPDATE job j
					    SET state = 'pending', run_at = CASE WHEN j.cancel_requested THEN now() ELSE o.retry_at END,
					        leased_by = NULL, started_at = NULL, lease_expires_at = NULL, version = j.version + 1,
					        -- a snooze gives its attempt back
					        max_attempts = j.max_attempts + CASE WHEN o.outcome = 'snoozed' THEN 1 ELSE 0 END
					    FROM outcome o
					    WHERE o.retry_at IS NOT NULL AND j.id = o.id AND j.version = o.version
					      AND j.leased_by = :worker
					    RETURNING j.id, j.type, j.unique_key, j.payload, j.attempt, j.enqueued_at, false, o.outcome, j.run_at,
					              o.started_at, o.finished_at, o.error, o.stack_trace
					),
					recorded AS (
					    INSERT INTO job_run (job_id, job_type, unique_key, payload, attempt, outcome, retry_at, worker,
					                         enqueued_at, started_at, finished_at, duration_ms, error, stack_trace)
					    SELECT id, type, unique_key, payload, attempt,
					           -- a job cancelled while it ran ends cancelled, unless it had succeeded
					           CASE WHEN cancel_requested AND outcome <> 'succeeded' THEN 'cancelled' ELSE outcome END,
					           retry_at, :worker, enqueued_at, started_at, finished_at,
					           CAST(extract(epoch FROM finished_at - started_at) * 1000 AS bigint), error, stack_trace
					    FROM (SELECT * FROM finished UNION ALL SELECT * FROM requeued) done
					    RETURNING job_id, job_type, outcome, retry_at
					),
					counted AS (COUNT_BY_MINUTE),
					tallied AS (
					    UPDATE job_worker
					    SET succeeded = succeeded + (SELECT count(*) FROM recorded WHERE outcome = 'succeeded'),
					        failed = failed + (SELECT count(*) FROM recorded WHERE outcome IN ('failed', 'discarded'))
					    WHERE name = :worker
					)
					SELECT job_id FROM recorded
					"""
				.replace("COUNT_BY_MINUTE", COUNT_BY_MINUTE))
			.param("ids", ids)
			.param("versions", versions)
			.param("outcomes", outcomes)
			.param("retryAts", retryAts)
			.param("startedAts", startedAts)
			.param("finishedAts", finishedAts)
			.param("errors", errors)
			.param("stackTraces", stackTraces)
			.param("worker", this.worker)
			.query(Long.class)
			.list();
	}

	/**
	 * Renews this worker's row and the leases of the claims it holds ({@code held}: job
	 * id to claimed version), in one statement; returns the claims the database still
	 * credits to this worker. A job leased to this worker that it does not hold (a claim
	 * whose answer was lost with its connection) is not renewed, so the reaper takes it
	 * back when its lease expires. A row this worker's completer has locked is skipped,
	 * not waited for: its outcome is being written, and waiting could deadlock the two.
	 */
	List<Lease> heartbeat(WorkerRow row, Map<Long, Long> held) {
		return this.jdbc.sql("""
				WITH alive AS (
				    INSERT INTO job_worker (name, roles, revision, threads, types, started_at, last_heartbeat)
				    VALUES (:worker, :roles, :revision, :threads, CAST(:types AS text[]), :startedAt, now())
				    -- stopped_at left alone: a name is never reused (a random suffix), and a last
				    -- heartbeat that outlived the stop must not make a stopped worker live again
				    ON CONFLICT (name) DO UPDATE SET last_heartbeat = now()
				),
				ours AS (
				    SELECT j.id, j.version, j.cancel_requested
				    FROM unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS h(id, version)
				    JOIN job j ON j.id = h.id AND j.version = h.version
				    WHERE j.leased_by = :worker
				),
				free AS (
				    SELECT j.id FROM job j
				    WHERE j.id = ANY (ARRAY(SELECT ours.id FROM ours)) AND j.leased_by = :worker
				    FOR UPDATE SKIP LOCKED
				),
				renewed AS (
				    UPDATE job j SET lease_expires_at = now() + make_interval(secs => :lease)
				    WHERE j.id = ANY (ARRAY(SELECT free.id FROM free))
				)
				SELECT id, version, cancel_requested FROM ours
				""")
			.param("worker", this.worker)
			.param("ids", held.keySet().toArray(Long[]::new))
			.param("versions", held.keySet().stream().map(held::get).toArray(Long[]::new))
			.param("roles", row.roles())
			.param("revision", row.revision())
			.param("threads", row.threads())
			.param("types", row.types())
			.param("startedAt", Timestamp.from(row.startedAt()))
			.param("lease", seconds(this.lease))
			.query((rs, n) -> new Lease(rs.getLong("id"), rs.getLong("version"), rs.getBoolean("cancel_requested")))
			.list();
	}

	/**
	 * Takes back the jobs whose lease expired (their worker was killed, hung or cut off):
	 * each gets a failed attempt in the history naming the lost worker, and runs again
	 * unless it has used its attempts, after its type's backoff as if it had failed (a
	 * job that kills its worker must not take the next one down at once). A job claimed
	 * ahead of a free thread may not have started: it gets its attempt back and is due at
	 * once. Either way the job is claimed only for a free thread from then on (see
	 * {@link #claim(String[], String[], int[], int, int)}). Returns how many.
	 * @param backoffs the backoff of each type this process knows; other types back off
	 * as {@link JobType#of} does
	 */
	int reapExpired(List<JobType<?>> backoffs) {
		return this.jdbc
			.sql("""
					WITH expired AS (
					    SELECT id, leased_by, started_at, claimed_ahead FROM job
					    WHERE state = 'running' AND lease_expires_at < now()
					    ORDER BY lease_expires_at
					    LIMIT 1000
					    FOR UPDATE SKIP LOCKED
					),
					finished AS (
					    DELETE FROM job j USING expired e
					    WHERE j.id = e.id AND (j.cancel_requested OR (j.attempt >= j.max_attempts AND NOT e.claimed_ahead))
					    RETURNING j.id, j.type, j.unique_key, j.payload, j.attempt, j.enqueued_at,
					              CASE WHEN j.cancel_requested THEN 'cancelled' ELSE 'failed' END AS outcome,
					              CAST(NULL AS timestamptz) AS retry_at, e.leased_by, e.started_at
					),
					requeued AS (
					    UPDATE job j
					    SET state = 'pending', leased_by = NULL, started_at = NULL, lease_expires_at = NULL,
					        version = j.version + 1, lost_by_worker = true,
					        max_attempts = j.max_attempts + CASE WHEN e.claimed_ahead THEN 1 ELSE 0 END,
					        run_at = CASE WHEN e.claimed_ahead THEN now() ELSE now() + make_interval(secs => (
					            SELECT least(coalesce(b.initial, 10) * power(2, least(greatest(j.attempt, 1) - 1, 30)),
					                         coalesce(b.max, 3600)) * (0.5 + random() / 2)
					            FROM (VALUES (1)) AS one (x)
					            LEFT JOIN unnest(CAST(:types AS text[]), CAST(:initial AS float8[]), CAST(:max AS float8[]))
					                 AS b (type, initial, max) ON b.type = j.type)) END
					    FROM expired e
					    WHERE j.id = e.id AND NOT j.cancel_requested AND (e.claimed_ahead OR j.attempt < j.max_attempts)
					    RETURNING j.id, j.type, j.unique_key, j.payload, j.attempt, j.enqueued_at,
					              CASE WHEN e.claimed_ahead THEN 'snoozed' ELSE 'failed' END AS outcome,
					              j.run_at AS retry_at, e.leased_by, e.started_at
					),
					recorded AS (
					    INSERT INTO job_run (job_id, job_type, unique_key, payload, attempt, outcome, retry_at, worker,
					                         enqueued_at, started_at, finished_at, duration_ms, error)
					    SELECT id, type, unique_key, payload, attempt, outcome, retry_at, leased_by, enqueued_at, started_at,
					           now(), CAST(extract(epoch FROM now() - started_at) * 1000 AS bigint),
					           'worker lost: ' || leased_by || ' stopped renewing its lease (killed, hung or cut off from the database)'
					           || CASE WHEN outcome = 'snoozed'
					                   THEN '; the job was claimed ahead of a free thread and may not have started, so the attempt is given back'
					                   ELSE '' END
					    FROM (SELECT * FROM finished UNION ALL SELECT * FROM requeued) lost
					    RETURNING job_type, outcome, retry_at
					),
					counted AS (COUNT_BY_MINUTE)
					SELECT count(*) FROM recorded
					"""
				.replace("COUNT_BY_MINUTE", COUNT_BY_MINUTE))
			.param("types", backoffs.stream().map(JobType::name).toArray(String[]::new))
			.param("initial", backoffs.stream().map((type) -> seconds(type.initialBackoff())).toArray(Double[]::new))
			.param("max", backoffs.stream().map((type) -> seconds(type.maxBackoff())).toArray(Double[]::new))
			.query(Integer.class)
			.single();
	}

	/**
	 * Renews the leases of these claims, as a heartbeat does, but leaves the worker's row
	 * alone: for a worker that has stopped and marked its row so. Skips rows another
	 * statement holds (a release of the same jobs, in another order): it never waits, so
	 * it never deadlocks with one.
	 * @return how many it renewed
	 */
	int renew(List<Claimed> jobs) {
		if (jobs.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				WITH held AS (
				    SELECT j.id FROM job j
				    JOIN unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS h(id, version)
				      ON j.id = h.id AND j.version = h.version
				    WHERE j.id = ANY (CAST(:ids AS bigint[])) AND j.leased_by = :worker AND j.state = 'running'
				    FOR UPDATE OF j SKIP LOCKED
				)
				UPDATE job j SET lease_expires_at = now() + make_interval(secs => :lease)
				WHERE j.id IN (SELECT held.id FROM held)
				""")
			.param("ids", jobs.stream().map(Claimed::id).toArray(Long[]::new))
			.param("versions", jobs.stream().map(Claimed::version).toArray(Long[]::new))
			.param("worker", this.worker)
			.param("lease", seconds(this.lease))
			.update();
	}

	/**
	 * Hands jobs this worker could not finish within its shutdown grace back to the
	 * queue, due now, without using an attempt, and records why.
	 * @return how many
	 */
	int release(List<Claimed> jobs) {
		if (jobs.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				WITH released AS (
				    UPDATE job j
				    SET state = 'pending', run_at = now(), leased_by = NULL, started_at = NULL, lease_expires_at = NULL,
				        version = j.version + 1, max_attempts = j.max_attempts + 1
				    FROM unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS r(id, version)
				    WHERE j.id = ANY (CAST(:ids AS bigint[])) AND j.id = r.id AND j.version = r.version
				      AND j.leased_by = :worker
				    RETURNING j.id, j.type, j.unique_key, j.payload, j.attempt, j.enqueued_at, j.run_at
				)
				INSERT INTO job_run (job_id, job_type, unique_key, payload, attempt, outcome, retry_at, worker,
				                     enqueued_at, finished_at, error)
				SELECT id, type, unique_key, payload, attempt, 'snoozed', run_at, :worker, enqueued_at, now(),
				       'released unfinished when its worker shut down; the attempt is given back'
				FROM released
				""")
			.param("ids", jobs.stream().map(Claimed::id).toArray(Long[]::new))
			.param("versions", jobs.stream().map(Claimed::version).toArray(Long[]::new))
			.param("worker", this.worker)
			.update();
	}

	/**
	 * Hands back jobs this worker claimed and never started (claimed ahead of its free
	 * threads), as if never claimed: in their place in line, the attempt not counted, no
	 * history. One that falls under its unique key again while a job of that key was
	 * enqueued meanwhile is dropped instead: that job, with the newer payload, takes its
	 * place, as {@link Jobs#enqueueUnique} promises.
	 * <p>
	 * A job of that key enqueued by a transaction still open cannot be seen, but the
	 * unique index makes the return wait for it. If it commits meanwhile, the return is
	 * tried again and the old job gives way. The wait is {@link #RELEASE_LOCK_WAIT} at
	 * most, not on the thread that renews leases; past that such a job goes back as the
	 * reaper gives back one claimed ahead (attempt kept, one more allowed, outside its
	 * key's slot, so both jobs of that key run), and the others as usual.
	 * @return how many
	 */
	int releaseUnstarted(List<Claimed> jobs) {
		Long[] ids = jobs.stream().map(Claimed::id).toArray(Long[]::new);
		Long[] versions = jobs.stream().map(Claimed::version).toArray(Long[]::new);
		for (int tries = 1;; tries++) {
			try {
				return this.ownTransaction.execute((status) -> {
					// set_config(..., true) is SET LOCAL with the value as a parameter
					this.jdbc.sql("SELECT set_config('lock_timeout', ?, true)")
						.param(this.releaseLockWait.toMillis() + "ms")
						.query(String.class)
						.single();
					return releaseUnderKeys(ids, versions);
				});
			}
			catch (DataAccessException ex) {
				String state = (ex.getMostSpecificCause() instanceof SQLException sql) ? sql.getSQLState() : null;
				if ("23505".equals(state) && tries == 1) {
					// unique_violation: the other committed, and now supersedes the old
					// job
					continue;
				}
				if ("23505".equals(state) || "55P03".equals(state)) {
					return releaseBesideKeys(ids, versions);
				}
				throw ex;
			}
		}
	}

	private int releaseUnderKeys(Long[] ids, Long[] versions) {
		return this.jdbc.sql("""
				WITH given AS (
				    SELECT j.id, j.type, j.unique_key, j.attempt
				    FROM job j
				    JOIN unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS r (id, version)
				         ON j.id = r.id AND j.version = r.version
				    WHERE j.leased_by = :worker
				    FOR UPDATE OF j
				),
				superseded AS (
				    DELETE FROM job j USING given g
				    WHERE j.id = g.id AND g.unique_key IS NOT NULL AND g.attempt = 1
				      AND EXISTS (SELECT 1 FROM job o
				                  WHERE o.type = g.type AND o.unique_key = g.unique_key AND o.state = 'pending'
				                    AND o.attempt = 0)
				    RETURNING j.id
				),
				released AS (
				    UPDATE job j
				    SET state = 'pending', attempt = j.attempt - 1, version = j.version + 1, leased_by = NULL,
				        started_at = NULL, lease_expires_at = NULL
				    FROM given g
				    WHERE j.id = g.id AND j.id NOT IN (SELECT id FROM superseded)
				    RETURNING j.id
				)
				SELECT (SELECT count(*) FROM released) + (SELECT count(*) FROM superseded)
				""")
			.param("ids", ids)
			.param("versions", versions)
			.param("worker", this.worker)
			.query(Integer.class)
			.single();
	}

	private int releaseBesideKeys(Long[] ids, Long[] versions) {
		return this.jdbc
			.sql("""
					WITH given AS (
					    SELECT j.id
					    FROM job j
					    JOIN unnest(CAST(:ids AS bigint[]), CAST(:versions AS bigint[])) AS r (id, version)
					         ON j.id = r.id AND j.version = r.version
					    WHERE j.leased_by = :worker
					    -- one a heartbeat holds lapses: the reaper gives a job claimed ahead its attempt back
					    FOR UPDATE OF j SKIP LOCKED
					)
					UPDATE job j
					SET state = 'pending', version = j.version + 1, leased_by = NULL, started_at = NULL,
					    lease_expires_at = NULL,
					    -- attempt 0 would take its key's slot, which the other transaction's job
					    -- holds: the attempt stays and one more is allowed, as the reaper does
					    attempt = CASE WHEN j.unique_key IS NOT NULL AND j.attempt = 1 THEN j.attempt ELSE j.attempt - 1 END,
					    max_attempts = j.max_attempts + CASE WHEN j.unique_key IS NOT NULL AND j.attempt = 1 THEN 1 ELSE 0 END
					FROM given g
					WHERE j.id = g.id
					""")
			.param("ids", ids)
			.param("versions", versions)
			.param("worker", this.worker)
			.update();
	}

	/**
	 * Fails waiting jobs that no worker has had a handler for during {@code grace} (none
	 * alive, and none seen since: a rolling restart of the only workers that know a type
	 * takes less) once they have waited longer than that, up to a thousand at a time,
	 * skipping rows others have locked (it runs on the thread that renews leases).
	 * Returns how many.
	 */
	int failUnrunnable(Duration grace) {
		return this.jdbc.sql("""
				WITH unrunnable AS (
				    SELECT j.id FROM job j
				    WHERE j.state = 'pending' AND j.run_at < now() - make_interval(secs => :grace)
				      AND NOT EXISTS (SELECT 1 FROM job_worker w
				                      WHERE w.last_heartbeat > now() - make_interval(secs => :grace)
				                        AND j.type = ANY (w.types))
				    LIMIT 1000
				    FOR UPDATE SKIP LOCKED
				),
				orphan AS (
				    DELETE FROM job j WHERE j.id = ANY (ARRAY(SELECT unrunnable.id FROM unrunnable))
				    RETURNING j.*
				),
				recorded AS (
				    INSERT INTO job_run (job_id, job_type, unique_key, payload, attempt, outcome, worker, enqueued_at,
				                         finished_at, error)
				    SELECT id, type, unique_key, payload, attempt + 1, 'failed', :worker, enqueued_at, now(),
				           'unknown job type ''' || type || ''': no worker has a handler for it (waited '
				           || CAST(:graceMinutes AS bigint) || ' min)'
				    FROM orphan
				    RETURNING job_type, outcome, retry_at
				),
				counted AS (COUNT_BY_MINUTE)
				SELECT count(*) FROM recorded
				""".replace("COUNT_BY_MINUTE", COUNT_BY_MINUTE))
			.param("grace", seconds(grace))
			.param("graceMinutes", grace.toMinutes())
			.param("worker", this.worker)
			.query(Integer.class)
			.single();
	}

	/**
	 * Vacuums the job table, unless another process is vacuuming it already; without
	 * truncating it (the lock that takes would hold up every claim).
	 */
	void vacuum() {
		this.jdbc.sql("VACUUM (SKIP_LOCKED, TRUNCATE false) job").update();
	}

	/**
	 * Marks this worker's row stopped: no longer live, still seen (see
	 * {@link #forgetWorkers}).
	 */
	void markStopped() {
		this.jdbc.sql("UPDATE job_worker SET stopped_at = now() WHERE name = ?").param(this.worker).update();
	}

	/**
	 * Deletes the rows of workers gone for longer than {@code after}. A worker that stops
	 * leaves its row too: the unknown-type sweep reads when a worker of each type was
	 * last seen.
	 */
	void forgetWorkers(Duration after) {
		this.jdbc.sql("DELETE FROM job_worker WHERE last_heartbeat < now() - make_interval(secs => :after)")
			.param("after", seconds(after))
			.update();
	}

	/**
	 * PostgreSQL text cannot hold NUL: one in an exception message would fail the whole
	 * batch again at every try.
	 */
	private static String storable(String text) {
		return (text != null) ? text.replace((char) 0, '\uFFFD') : null;
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	/** A job this worker claimed: what it needs to run it and to write its outcome. */
	/**
	 * A claimed job. {@code startsNext}: one of the first places of its claim, which its
	 * worker must start before any job claimed ahead.
	 */
	record Claimed(long id, String type, String payload, int attempt, int maxAttempts, long version, Instant enqueuedAt,
			Instant runAt, boolean cancelRequested, boolean startsNext) {
	}

	/** An attempt's outcome, waiting to be written. */
	record Finished(long id, long version, AttemptOutcome outcome, Instant retryAt, Instant startedAt,
			Instant finishedAt, String error, String stackTrace) {
	}

	record Lease(long id, long version, boolean cancelRequested) {
	}

	record WorkerRow(String roles, String revision, int threads, String[] types, Instant startedAt) {
	}

}
