package dev.vitrine.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link JobMonitor} on {@code job} (jobs not finished), {@code job_run} (every attempt)
 * and {@code job_minute} (attempts per minute).
 */
class JdbcJobMonitor implements JobMonitor {

	/** Jobs not finished, with the state the monitor shows. */
	private static final String CURRENT = """
			SELECT id, type,
			       CASE WHEN state = 'running' THEN 'running'
			            WHEN attempt > 0 THEN 'retrying'
			            WHEN run_at > now() THEN 'scheduled'
			            ELSE 'pending' END AS state,
			       attempt AS attempts, CASE WHEN state = 'running' THEN started_at ELSE run_at END AS at,
			       leased_by AS worker, NULL::text AS error, payload::text AS payload
			FROM job
			""";

	/** Each finished job's latest attempt. */
	private static final String FINISHED = """
			SELECT DISTINCT ON (r.job_id) r.job_id AS id, r.job_type AS type, r.outcome AS state,
			       r.attempt AS attempts, r.finished_at AS at, r.worker, r.error, r.payload::text AS payload
			FROM job_run r
			WHERE NOT EXISTS (SELECT 1 FROM job j WHERE j.id = r.job_id)
			ORDER BY r.job_id, r.id DESC
			""";

	private final JdbcClient jdbc;

	private final Duration lease;

	private final KnownJobTypes types;

	JdbcJobMonitor(JdbcClient jdbc, Duration lease, KnownJobTypes types) {
		this.jdbc = jdbc;
		this.lease = lease;
		this.types = types;
	}

	@Override
	public Overview overview() {
		Map<JobState, Long> byState = new EnumMap<>(JobState.class);
		for (JobState state : JobState.values()) {
			byState.put(state, 0L);
		}
		this.jdbc.sql("SELECT state, count(*) FROM (" + CURRENT + ") c GROUP BY state").query((rs) -> {
			byState.put(JobState.stored(rs.getString(1)), rs.getLong(2));
		});
		this.jdbc
			.sql("""
					SELECT outcome, sum(count) FROM job_minute
					WHERE minute > now() - interval '24 hours' AND outcome IN ('succeeded', 'failed', 'discarded', 'cancelled')
					GROUP BY outcome
					""")
			.query((rs) -> {
				byState.put(JobState.stored(rs.getString(1)), rs.getLong(2));
			});

		Instant now = Instant.now();
		Instant firstBucket = now.truncatedTo(ChronoUnit.MINUTES)
			.minus(Duration.ofMinutes(now.atZone(ZoneOffset.UTC).getMinute() % 5))
			.minus(Duration.ofMinutes(55));
		Map<Instant, Bucket> buckets = new LinkedHashMap<>();
		for (int i = 0; i < 12; i++) {
			Instant start = firstBucket.plus(Duration.ofMinutes(5L * i));
			buckets.put(start, new Bucket(start, 0, 0));
		}
		this.jdbc.sql("""
				SELECT date_bin('5 minutes', minute, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
				       COALESCE(sum(count) FILTER (WHERE outcome = 'succeeded'), 0),
				       COALESCE(sum(count) FILTER (WHERE outcome IN ('failed', 'retried', 'discarded')), 0)
				FROM job_minute WHERE minute >= :from GROUP BY bucket
				""").param("from", Timestamp.from(firstBucket)).query((rs) -> {
			Instant start = rs.getTimestamp(1).toInstant();
			if (buckets.containsKey(start)) {
				buckets.put(start, new Bucket(start, rs.getLong(2), rs.getLong(3)));
			}
		});

		List<Queue> queues = this.jdbc
			.sql("""
					SELECT type,
					       count(*) FILTER (WHERE state = 'pending' AND run_at <= now()),
					       count(*) FILTER (WHERE state = 'running'),
					       COALESCE(extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'pending' AND run_at <= now())), 0)
					FROM job GROUP BY type ORDER BY type
					""")
			.query((rs, row) -> new Queue(rs.getString(1), rs.getLong(2), rs.getLong(3),
					Duration.ofMillis((long) (rs.getDouble(4) * 1000))))
			.list();
		List<Jobs.Pausable> paused = this.jdbc.sql("SELECT scope, name FROM job_pause ORDER BY scope, name")
			.query((rs, row) -> new Jobs.Pausable(Jobs.Pausable.Scope.parse(rs.getString("scope")).orElseThrow(),
					rs.getString("name")))
			.list();
		return new Overview(byState, List.copyOf(buckets.values()), queues, paused);
	}

	@Override
	public List<JobSummary> jobs(JobFilter filter) {
		return this.jdbc.sql("WITH current AS (" + CURRENT + "), finished AS (" + FINISHED + """
				), jobs AS (
				  SELECT * FROM current UNION ALL SELECT * FROM finished
				)
				SELECT id, type, state, attempts, at, worker, error FROM jobs
				WHERE (CAST(:state AS text) IS NULL OR state = :state)
				  AND (CAST(:type AS text) IS NULL OR type = :type)
				  AND (CAST(:from AS timestamptz) IS NULL OR at >= :from)
				  AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
				  AND (CAST(:search AS text) IS NULL OR position(lower(:search) IN lower(payload)) > 0)
				ORDER BY at DESC
				LIMIT :limit
				""")
			.param("state", (filter.state() != null) ? filter.state().label() : null)
			.param("type", blankToNull(filter.type()))
			.param("from", timestamp(filter.from()))
			.param("to", timestamp(filter.to()))
			.param("search", blankToNull(filter.search()))
			.param("limit", Math.max(1, Math.min(filter.limit(), 1000)))
			.query((rs, row) -> new JobSummary(new JobId(rs.getString("type"), rs.getLong("id")),
					JobState.stored(rs.getString("state")), rs.getInt("attempts"), instant(rs, "at"),
					rs.getString("worker"), rs.getString("error")))
			.list();
	}

	@Override
	public Optional<JobDetail> job(JobId id) {
		record Current(String type, JobState state, String payload, Instant at, String worker) {
		}
		Optional<Current> current = this.jdbc.sql("SELECT * FROM (" + CURRENT + ") c WHERE id = :id")
			.param("id", id.value())
			.query((rs, row) -> new Current(rs.getString("type"), JobState.stored(rs.getString("state")),
					rs.getString("payload"), instant(rs, "at"), rs.getString("worker")))
			.optional();
		List<Attempt> attempts = new ArrayList<>();
		List<String> payloads = new ArrayList<>();
		List<String> types = new ArrayList<>();
		this.jdbc.sql("SELECT * FROM job_run WHERE job_id = :id ORDER BY id").param("id", id.value()).query((rs) -> {
			long duration = rs.getLong("duration_ms");
			Long durationMillis = rs.wasNull() ? null : duration;
			attempts.add(Attempt.builder()
				.number(rs.getInt("attempt"))
				.outcome(AttemptOutcome.stored(rs.getString("outcome")))
				.worker(rs.getString("worker"))
				.enqueuedAt(instant(rs, "enqueued_at"))
				.ran(instant(rs, "started_at"), instant(rs, "finished_at"), durationMillis)
				.retryAt(instant(rs, "retry_at"))
				.failure(rs.getString("error"), rs.getString("stack_trace"))
				.build());
			payloads.add(rs.getString("payload"));
			types.add(rs.getString("job_type"));
		});
		if (current.isPresent()) {
			Current now = current.get();
			return Optional.of(new JobDetail(new JobId(now.type(), id.value()), now.state(), now.payload(),
					(now.state() == JobState.RUNNING) ? null : now.at(), now.worker(), attempts));
		}
		if (attempts.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new JobDetail(new JobId(types.getLast(), id.value()),
				JobState.stored(attempts.getLast().outcome().label()), payloads.getLast(), null, null, attempts));
	}

	@Override
	public Optional<JobDetail> newest(String type, String payloadHolds, Instant since) {
		// the history by when it finished (its BRIN index), not all of it
		return this.jdbc.sql("""
				SELECT id FROM (
				    SELECT id FROM job
				    WHERE type = :type AND enqueued_at >= :since AND payload @> CAST(:payload AS jsonb)
				    UNION ALL
				    SELECT job_id FROM job_run
				    WHERE job_type = :type AND finished_at >= :since AND payload @> CAST(:payload AS jsonb)
				) jobs
				ORDER BY id DESC LIMIT 1
				""")
			.param("type", type)
			.param("since", Timestamp.from(since))
			.param("payload", payloadHolds)
			.query(Long.class)
			.optional()
			.flatMap((id) -> job(new JobId(type, id)));
	}

	@Override
	public List<WorkerView> workers() {
		return this.jdbc.sql("""
				SELECT w.*, w.stopped_at IS NULL AND w.last_heartbeat > now() - make_interval(secs => :lease) AS alive,
				       (SELECT count(*) FROM job j WHERE j.state = 'running' AND j.leased_by = w.name) AS running
				FROM job_worker w ORDER BY w.started_at DESC
				""")
			.param("lease", (double) this.lease.toSeconds())
			.query((rs, row) -> new WorkerView(rs.getString("name"), rs.getString("roles"), rs.getString("revision"),
					rs.getInt("threads"), instant(rs, "started_at"), instant(rs, "last_heartbeat"),
					rs.getBoolean("alive") ? WorkerView.Liveness.ALIVE
							: (rs.getTimestamp("stopped_at") != null) ? WorkerView.Liveness.STOPPED
									: WorkerView.Liveness.SILENT,
					rs.getLong("running"), rs.getLong("succeeded"), rs.getLong("failed")))
			.list();
	}

	@Override
	public List<String> types() {
		return this.types.sortedNames();
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
