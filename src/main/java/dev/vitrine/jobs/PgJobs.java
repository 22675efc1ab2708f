package dev.vitrine.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link Jobs} on the {@code job} table. Each enqueue is one {@code INSERT} through the
 * application's connection, so it joins the caller's transaction; a unique key is
 * enforced by {@code ON CONFLICT DO NOTHING}, which never aborts that transaction. A
 * trigger on the table sends the {@code NOTIFY} that wakes workers when it commits.
 */
class PgJobs implements Jobs {

	static final String WAKE_UP_CHANNEL = "vitrine_jobs";

	/**
	 * The first version of a retried job's row, which keeps the job's id: above any its
	 * earlier rows reached (they count claims and releases from 0), so the outcome of an
	 * attempt from before the retry, written late by a worker that froze past its lease,
	 * never matches the new row's claim, even by the same worker.
	 */
	static final String RETRIED_VERSION = "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint)";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final JobMetrics metrics;

	private final KnownJobTypes types;

	PgJobs(JdbcClient jdbc, JsonMapper json, JobMetrics metrics, KnownJobTypes types) {
		this.jdbc = jdbc;
		this.json = json;
		this.metrics = metrics;
		this.types = types;
	}

	@Override
	public <P> JobId enqueue(JobType<P> type, P payload) {
		return insert(type, this.json.writeValueAsString(payload), null, null);
	}

	@Override
	public <P> JobId enqueueAt(Instant runAt, JobType<P> type, P payload) {
		return insert(type, this.json.writeValueAsString(payload), Objects.requireNonNull(runAt, "runAt"), null);
	}

	@Override
	public <P> JobId enqueueUnique(JobType<P> type, P payload, String uniqueKey) {
		return enqueueUniqueAt(null, type, payload, uniqueKey);
	}

	@Override
	public <P> JobId enqueueUniqueAt(Instant runAt, JobType<P> type, P payload, String uniqueKey) {
		if (uniqueKey == null || uniqueKey.isBlank()) {
			throw new IllegalArgumentException("a unique key is needed");
		}
		return insert(type, this.json.writeValueAsString(payload), runAt, uniqueKey);
	}

	@Override
	public <P> List<JobId> enqueueAll(JobType<P> type, List<P> payloads) {
		if (payloads.isEmpty()) {
			return List.of();
		}
		String[] json = payloads.stream().map(this.json::writeValueAsString).toArray(String[]::new);
		List<Long> ids = this.jdbc.sql("""
				INSERT INTO job (type, queue, priority, payload, max_attempts)
				SELECT :type, :queue, :priority, CAST(p.payload AS jsonb), :maxAttempts
				FROM unnest(CAST(:payloads AS text[])) WITH ORDINALITY AS p(payload, n)
				ORDER BY p.n
				RETURNING id
				""")
			.param("type", type.name())
			.param("queue", type.queue())
			.param("priority", type.priority())
			.param("maxAttempts", type.maxAttempts())
			.param("payloads", json)
			.query(Long.class)
			.list();
		this.metrics.enqueued(type, ids.size());
		// one statement takes its ids from the sequence in row order
		return ids.stream().sorted().map((id) -> new JobId(type.name(), id)).toList();
	}

	/**
	 * Enqueues a job whose type and payload come from storage (a schedule, an operator),
	 * under a unique key.
	 * @throws IllegalArgumentException when no process declares the type or the payload
	 * does not fit it
	 */
	JobId enqueueStored(String typeName, JsonNode payload, String uniqueKey) {
		JobType<?> type = knownType(typeName);
		requireFits(type, payload);
		return insert(type, payload.toString(), null, uniqueKey);
	}

	/**
	 * The declared type of this name.
	 * @throws IllegalArgumentException naming the known types when none has this name
	 */
	JobType<?> knownType(String typeName) {
		return this.types.find(typeName)
			.orElseThrow(() -> new IllegalArgumentException(
					"unknown job type '" + typeName + "': known are " + String.join(", ", this.types.sortedNames())));
	}

	/**
	 * @throws IllegalArgumentException naming the record when the payload does not fit
	 */
	void requireFits(JobType<?> type, JsonNode payload) {
		read(type, payload);
	}

	/**
	 * The payload as its record.
	 * @throws IllegalArgumentException naming the record, and the field when there is
	 * one, when the payload does not fit
	 */
	<P> P read(JobType<P> type, JsonNode payload) {
		try {
			return this.json.treeToValue(payload, type.payloadType());
		}
		catch (JacksonException ex) {
			String field = field(ex.getPath());
			throw new IllegalArgumentException("the payload does not fit " + type.payloadType().getSimpleName() + ": "
					+ (field.isEmpty() ? "" : "field '" + field + "': ") + ex.getOriginalMessage(), ex);
		}
	}

	/** The path to where reading failed, e.g. {@code links[2].url}; empty at the top. */
	private static String field(List<JacksonException.Reference> path) {
		StringBuilder field = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				field.append('[').append(reference.getIndex()).append(']');
			}
		}
		return field.toString();
	}

	@Override
	public void retry(JobId id) {
		JobType<?> type = this.types.find(id.type())
			.orElseThrow(() -> new IllegalStateException("job " + id + " has an unknown type"));
		int inserted = this.jdbc.sql("""
				INSERT INTO job (id, type, queue, priority, payload, unique_key, max_attempts, version)
				SELECT r.job_id, r.job_type, :queue, :priority, COALESCE(r.payload, 'null'), r.unique_key, :maxAttempts,
				       RETRIED_VERSION
				FROM (SELECT * FROM job_run WHERE job_id = :id ORDER BY id DESC LIMIT 1) r
				WHERE r.outcome IN ('failed', 'discarded', 'cancelled') AND r.retry_at IS NULL
				  AND NOT EXISTS (SELECT 1 FROM job WHERE id = :id)
				ON CONFLICT DO NOTHING
				""".replace("RETRIED_VERSION", RETRIED_VERSION))
			.param("id", id.value())
			.param("queue", type.queue())
			.param("priority", type.priority())
			.param("maxAttempts", type.maxAttempts())
			.update();
		if (inserted == 0) {
			throw new IllegalStateException("job " + id
					+ " has not failed or been cancelled (it is unknown, waiting, running or succeeded, or a job "
					+ "with its unique key waits)");
		}
	}

	@Override
	public int retryFailed(Optional<String> typeName) {
		List<JobType<?>> known = this.types.all();
		return this.jdbc
			.sql("""
					INSERT INTO job (id, type, queue, priority, payload, unique_key, max_attempts, version)
					SELECT r.job_id, r.job_type, t.queue, t.priority, COALESCE(r.payload, 'null'), r.unique_key, t.max_attempts,
					       RETRIED_VERSION
					FROM job_run r
					JOIN unnest(CAST(:names AS text[]), CAST(:queues AS text[]), CAST(:priorities AS int[]),
					            CAST(:maxAttempts AS int[])) AS t(name, queue, priority, max_attempts) ON t.name = r.job_type
					WHERE r.outcome = 'failed' AND r.retry_at IS NULL
					  AND (CAST(:type AS text) IS NULL OR r.job_type = :type)
					  AND NOT EXISTS (SELECT 1 FROM job_run later WHERE later.job_id = r.job_id AND later.id > r.id)
					  AND NOT EXISTS (SELECT 1 FROM job WHERE job.id = r.job_id)
					ON CONFLICT DO NOTHING
					"""
				.replace("RETRIED_VERSION", RETRIED_VERSION))
			.param("names", known.stream().map(JobType::name).toArray(String[]::new))
			.param("queues", known.stream().map(JobType::queue).toArray(String[]::new))
			.param("priorities", known.stream().map(JobType::priority).toArray(Integer[]::new))
			.param("maxAttempts", known.stream().map(JobType::maxAttempts).toArray(Integer[]::new))
			.param("type", typeName.orElse(null))
			.update();
	}

	@Override
	public void cancel(JobId id) {
		int done = this.jdbc
			.sql("""
					WITH target AS (
					    -- locked first, so that the state tested is the one acted on: a claim
					    -- committing meanwhile made both tests below miss the job
					    SELECT id, state FROM job WHERE id = :id FOR UPDATE
					),
					removed AS (
					    DELETE FROM job j USING target t WHERE j.id = t.id AND t.state = 'pending' RETURNING j.*
					),
					recorded AS (
					    INSERT INTO job_run (job_id, job_type, unique_key, payload, attempt, outcome, enqueued_at, finished_at,
					                         error)
					    SELECT id, type, unique_key, payload, attempt, 'cancelled', enqueued_at, now(),
					           'cancelled by an operator'
					    FROM removed
					    RETURNING job_id, job_type, outcome, retry_at
					),
					counted AS (COUNT_BY_MINUTE),
					flagged AS (
					    UPDATE job j SET cancel_requested = true FROM target t
					    WHERE j.id = t.id AND t.state = 'running' RETURNING j.id
					)
					SELECT (SELECT count(*) FROM recorded) + (SELECT count(*) FROM flagged)
					"""
				.replace("COUNT_BY_MINUTE", JobTable.COUNT_BY_MINUTE))
			.param("id", id.value())
			.query(Integer.class)
			.single();
		if (done == 0) {
			throw new IllegalStateException("job " + id + " is not waiting or running (unknown, or finished)");
		}
	}

	@Override
	public boolean pause(Pausable target) {
		if (!JobType.isValidName(target.name())) {
			throw new IllegalArgumentException("a " + target.scope().label() + " name is " + JobType.NAME_RULE);
		}
		if (!isKnown(target)) {
			throw new IllegalArgumentException(switch (target.scope()) {
				case TYPE ->
					"no job type '" + target.name() + "' is declared, has jobs or is run by a worker; declared are "
							+ String.join(", ", this.types.sortedNames());
				case QUEUE -> "no queue '" + target.name() + "' is declared or has jobs; declared are "
						+ String.join(", ", this.types.all().stream().map(JobType::queue).distinct().sorted().toList());
			});
		}
		return this.jdbc.sql("INSERT INTO job_pause (scope, name) VALUES (:scope, :name) ON CONFLICT DO NOTHING")
			.param("scope", target.scope().label())
			.param("name", target.name())
			.update() == 1;
	}

	@Override
	public boolean resume(Pausable target) {
		return this.jdbc.sql("DELETE FROM job_pause WHERE scope = :scope AND name = :name")
			.param("scope", target.scope().label())
			.param("name", target.name())
			.update() == 1;
	}

	/**
	 * Whether pausing this would stop anything: a type or queue this process declares,
	 * that of a job in the table, or a type a worker runs (perhaps another version's).
	 */
	private boolean isKnown(Pausable target) {
		return switch (target.scope()) {
			case TYPE -> this.types.find(target.name()).isPresent() || this.jdbc.sql("""
					SELECT EXISTS (SELECT 1 FROM job WHERE type = :name)
					    OR EXISTS (SELECT 1 FROM job_worker WHERE :name = ANY (types))
					""").param("name", target.name()).query(Boolean.class).single();
			case QUEUE -> this.types.all().stream().anyMatch((type) -> type.queue().equals(target.name()))
					|| this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM job WHERE queue = :name)")
						.param("name", target.name())
						.query(Boolean.class)
						.single();
		};
	}

	private JobId insert(JobType<?> type, String payload, Instant runAt, String uniqueKey) {
		// In READ COMMITTED, a key another transaction committed while this statement
		// waited on it is past this statement's snapshot: then the next one sees it.
		for (int tries = 0; tries < 5; tries++) {
			record Found(long id, boolean created) {
			}
			List<Found> found = this.jdbc
				.sql("""
						WITH inserted AS (
						    INSERT INTO job (type, queue, priority, payload, unique_key, max_attempts, run_at)
						    VALUES (:type, :queue, :priority, CAST(:payload AS jsonb), :key, :maxAttempts,
						            COALESCE(CAST(:runAt AS timestamptz), clock_timestamp()))
						    ON CONFLICT (type, unique_key) WHERE unique_key IS NOT NULL AND state = 'pending' AND attempt = 0
						    DO NOTHING
						    RETURNING id
						)
						SELECT id, true AS created FROM inserted
						UNION ALL
						SELECT id, false FROM job
						WHERE type = :type AND unique_key = :key AND state = 'pending' AND attempt = 0
						LIMIT 1
						""")
				.param("type", type.name())
				.param("queue", type.queue())
				.param("priority", type.priority())
				.param("payload", payload)
				.param("key", uniqueKey)
				.param("maxAttempts", type.maxAttempts())
				.param("runAt", (runAt != null) ? Timestamp.from(runAt) : null)
				.query((rs, row) -> new Found(rs.getLong("id"), rs.getBoolean("created")))
				.list();
			if (!found.isEmpty()) {
				if (found.getFirst().created()) {
					// a unique key that found its waiting job enqueued nothing
					this.metrics.enqueued(type, 1);
				}
				return new JobId(type.name(), found.getFirst().id());
			}
		}
		throw new IllegalStateException("could not enqueue " + type.name() + " with unique key " + uniqueKey
				+ ": the waiting job with that key kept changing");
	}

}
