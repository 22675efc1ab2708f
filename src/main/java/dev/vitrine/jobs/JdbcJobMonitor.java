package dev.vitrine.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link JobMonitor} on {@code scheduled_tasks} (current jobs) and {@code job_run}
 * (history).
 */
class JdbcJobMonitor implements JobMonitor {

	/**
	 * The engine's rows with the state we show; task_data is our JSON, but may be
	 * unreadable.
	 */
	private static final String CURRENT = """
			SELECT task_name AS type, task_instance AS key,
			       CASE WHEN picked THEN 'running'
			            WHEN attempts > 0 THEN 'retrying'
			            WHEN execution_time > now() THEN 'scheduled'
			            ELSE 'pending' END AS state,
			       attempts, execution_time AS at, picked_by AS worker, NULL::text AS error, payload
			FROM (SELECT *, convert_from(task_data, 'UTF8') AS payload,
			             COALESCE(substring(convert_from(task_data, 'UTF8') FROM '"attempts":([0-9]+)')::int, 0) AS attempts
			      FROM scheduled_tasks) t
			""";

	/** Each job's latest attempt in the history. */
	private static final String LATEST_ATTEMPT = """
			SELECT DISTINCT ON (job_type, job_id) job_type AS type, job_id AS key,
			       CASE WHEN outcome = 'failed' AND retry_at IS NOT NULL THEN 'retrying' ELSE outcome END AS state,
			       attempt AS attempts, finished_at AS at, worker, error, payload::text AS payload
			FROM job_run
			ORDER BY job_type, job_id, id DESC
			""";

	private final JdbcClient jdbc;

	private final Duration lease;

	private final List<String> types;

	JdbcJobMonitor(JdbcClient jdbc, Duration lease, List<String> types) {
		this.jdbc = jdbc;
		this.lease = lease;
		this.types = types;
	}

	@Override
	public Overview overview() {
		Map<String, Long> byState = new LinkedHashMap<>();
		STATES.forEach((state) -> byState.put(state, 0L));
		this.jdbc.sql("SELECT state, count(*) FROM (" + CURRENT + ") c GROUP BY state").query((rs) -> {
			byState.put(rs.getString(1), rs.getLong(2));
		});
		this.jdbc.sql("""
				SELECT outcome, count(*) FROM job_run
				WHERE finished_at > now() - interval '24 hours' AND retry_at IS NULL
				GROUP BY outcome
				""").query((rs) -> {
			byState.put(rs.getString(1), rs.getLong(2));
		});

		Instant now = Instant.now();
		Instant firstBucket = now.truncatedTo(ChronoUnit.MINUTES)
			.minus(Duration.ofMinutes(now.atZone(java.time.ZoneOffset.UTC).getMinute() % 5))
			.minus(Duration.ofMinutes(55));
		Map<Instant, Bucket> buckets = new LinkedHashMap<>();
		for (int i = 0; i < 12; i++) {
			Instant start = firstBucket.plus(Duration.ofMinutes(5L * i));
			buckets.put(start, new Bucket(start, 0, 0));
		}
		this.jdbc.sql("""
				SELECT date_bin('5 minutes', finished_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
				       count(*) FILTER (WHERE outcome = 'succeeded'), count(*) FILTER (WHERE outcome = 'failed')
				FROM job_run WHERE finished_at >= :from GROUP BY bucket
				""").param("from", Timestamp.from(firstBucket)).query((rs) -> {
			Instant start = rs.getTimestamp(1).toInstant();
			if (buckets.containsKey(start)) {
				buckets.put(start, new Bucket(start, rs.getLong(2), rs.getLong(3)));
			}
		});

		List<Queue> queues = this.jdbc.sql("""
				SELECT task_name,
				       count(*) FILTER (WHERE NOT picked AND execution_time <= now()),
				       count(*) FILTER (WHERE picked),
				       COALESCE(extract(epoch FROM now() - min(execution_time)
				                FILTER (WHERE NOT picked AND execution_time <= now())), 0)
				FROM scheduled_tasks GROUP BY task_name ORDER BY task_name
				""")
			.query((rs, row) -> new Queue(rs.getString(1), rs.getLong(2), rs.getLong(3),
					Duration.ofMillis((long) (rs.getDouble(4) * 1000))))
			.list();
		return new Overview(byState, List.copyOf(buckets.values()), queues);
	}

	@Override
	public List<JobSummary> jobs(JobFilter filter) {
		return this.jdbc.sql("WITH current AS (" + CURRENT + "), latest AS (" + LATEST_ATTEMPT + """
				), jobs AS (
				  SELECT * FROM current
				  UNION ALL
				  SELECT l.* FROM latest l
				  WHERE NOT EXISTS (SELECT 1 FROM current c WHERE c.type = l.type AND c.key = l.key)
				)
				SELECT type, key, state, attempts, at, worker, error FROM jobs
				WHERE (CAST(:state AS text) IS NULL OR state = :state)
				  AND (CAST(:type AS text) IS NULL OR type = :type)
				  AND (CAST(:from AS timestamptz) IS NULL OR at >= :from)
				  AND (CAST(:to AS timestamptz) IS NULL OR at < :to)
				  AND (CAST(:search AS text) IS NULL OR position(lower(:search) IN lower(payload)) > 0)
				ORDER BY at DESC
				LIMIT :limit
				""")
			.param("state", blankToNull(filter.state()))
			.param("type", blankToNull(filter.type()))
			.param("from", timestamp(filter.from()))
			.param("to", timestamp(filter.to()))
			.param("search", blankToNull(filter.search()))
			.param("limit", Math.max(1, Math.min(filter.limit(), 1000)))
			.query((rs, row) -> new JobSummary(new JobId(rs.getString("type"), rs.getString("key")),
					rs.getString("state"), rs.getInt("attempts"), instant(rs, "at"), rs.getString("worker"),
					rs.getString("error")))
			.list();
	}

	@Override
	public Optional<JobDetail> job(JobId id) {
		record Current(String state, String payload, Instant at, String worker) {
		}
		Optional<Current> current = this.jdbc.sql("SELECT * FROM (" + CURRENT + ") c WHERE type = :type AND key = :key")
			.param("type", id.type())
			.param("key", id.key())
			.query((rs, row) -> new Current(rs.getString("state"), rs.getString("payload"), instant(rs, "at"),
					rs.getString("worker")))
			.optional();
		List<Attempt> attempts = new ArrayList<>();
		List<String> payloads = new ArrayList<>();
		this.jdbc.sql("SELECT * FROM job_run WHERE job_type = :type AND job_id = :key ORDER BY id")
			.param("type", id.type())
			.param("key", id.key())
			.query((rs) -> {
				long duration = rs.getLong("duration_ms");
				attempts.add(new Attempt(rs.getInt("attempt"), rs.getString("outcome"), rs.getString("worker"),
						instant(rs, "enqueued_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
						rs.wasNull() ? null : duration, instant(rs, "retry_at"), rs.getString("error"),
						rs.getString("stack_trace")));
				payloads.add(rs.getString("payload"));
			});
		if (current.isEmpty() && attempts.isEmpty()) {
			return Optional.empty();
		}
		if (current.isPresent()) {
			Current now = current.get();
			return Optional.of(new JobDetail(id, now.state(), now.payload(),
					"running".equals(now.state()) ? null : now.at(), now.worker(), attempts));
		}
		Attempt last = attempts.getLast();
		String state = ("failed".equals(last.outcome()) && last.retryAt() != null) ? "retrying" : last.outcome();
		return Optional.of(new JobDetail(id, state, payloads.getLast(), null, null, attempts));
	}

	@Override
	public List<WorkerView> workers() {
		return this.jdbc.sql("""
				SELECT w.*, w.last_heartbeat > now() - make_interval(secs => :lease) AS alive,
				       (SELECT count(*) FROM scheduled_tasks t WHERE t.picked AND t.picked_by = w.name) AS running,
				       (SELECT count(*) FROM job_run r WHERE r.worker = w.name AND r.finished_at >= w.started_at
				                                         AND r.outcome = 'succeeded') AS succeeded,
				       (SELECT count(*) FROM job_run r WHERE r.worker = w.name AND r.finished_at >= w.started_at
				                                         AND r.outcome = 'failed') AS failed
				FROM job_worker w ORDER BY w.started_at DESC
				""")
			.param("lease", (double) this.lease.toSeconds())
			.query((rs, row) -> new WorkerView(rs.getString("name"), rs.getString("roles"), rs.getString("revision"),
					rs.getInt("threads"), instant(rs, "started_at"), instant(rs, "last_heartbeat"),
					rs.getBoolean("alive"), rs.getLong("running"), rs.getLong("succeeded"), rs.getLong("failed")))
			.list();
	}

	@Override
	public List<String> types() {
		return this.types;
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
