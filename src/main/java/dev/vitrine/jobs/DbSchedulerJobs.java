package dev.vitrine.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link Jobs} on db-scheduler. Its client writes through a transaction-aware data
 * source, so an enqueue is part of the caller's transaction; a {@code NOTIFY} in the same
 * transaction wakes workers in every process once it commits.
 */
class DbSchedulerJobs implements Jobs {

	static final String WAKE_UP_CHANNEL = "vitrine_jobs";

	private final SchedulerClient client;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final JobHistory history;

	private final JobMetrics metrics;

	private final KnownJobTypes types;

	DbSchedulerJobs(SchedulerClient client, JdbcClient jdbc, JsonMapper json, JobHistory history, JobMetrics metrics,
			KnownJobTypes types) {
		this.client = client;
		this.jdbc = jdbc;
		this.json = json;
		this.history = history;
		this.metrics = metrics;
		this.types = types;
	}

	@Override
	public <P> JobId enqueue(JobType<P> type, P payload) {
		return schedule(type, payload, Instant.now(), UUID.randomUUID().toString());
	}

	@Override
	public <P> JobId enqueueAt(Instant runAt, JobType<P> type, P payload) {
		return schedule(type, payload, runAt, UUID.randomUUID().toString());
	}

	@Override
	public <P> JobId enqueueUnique(JobType<P> type, P payload, String deduplicationKey) {
		if (deduplicationKey == null || deduplicationKey.isBlank()) {
			throw new IllegalArgumentException("a deduplication key is needed");
		}
		return schedule(type, payload, Instant.now(), deduplicationKey);
	}

	@Override
	@Transactional
	public void retry(JobId id) {
		if (this.client.getScheduledExecution(new TaskInstance<>(id.type(), id.key())).isPresent()) {
			throw new IllegalStateException("job " + id + " is pending or running");
		}
		JobHistory.LastAttempt last = this.history.last(id)
			.filter(JobHistory.LastAttempt::isFinal)
			.orElseThrow(() -> new IllegalStateException("job " + id + " has not failed or been cancelled"));
		JobData data = new JobData(this.json.readTree(last.payloadJson()), Instant.now(), 0);
		this.client.scheduleIfNotExists(new TaskInstance<>(id.type(), id.key(), data), Instant.now());
		wakeWorkers(id.type());
	}

	@Override
	@Transactional
	public void cancel(JobId id) {
		Optional<byte[]> removed = this.jdbc.sql("""
				DELETE FROM scheduled_tasks
				WHERE task_name = :type AND task_instance = :key AND NOT picked
				RETURNING task_data
				""").param("type", id.type()).param("key", id.key()).query(byte[].class).optional();
		if (removed.isEmpty()) {
			throw new IllegalStateException("job " + id + " is not pending (unknown, running or finished)");
		}
		JobData data = this.json.readValue(removed.get(), JobData.class);
		Instant now = Instant.now();
		this.history.record(new JobHistory.Attempt(id, data.payload().toString(), data.attempts(), "cancelled", null,
				null, data.enqueuedAt(), null, now, "cancelled by an operator", null));
	}

	/**
	 * Enqueues a job whose type and payload come from storage (a schedule), unless one
	 * with this key is pending.
	 * @throws IllegalArgumentException when no handler knows the type or the payload does
	 * not fit
	 */
	JobId enqueueStored(String typeName, JsonNode payload, String key) {
		JobType<?> type = this.types.get(typeName);
		if (type == null) {
			throw new IllegalArgumentException("unknown job type '" + typeName + "': no handler is registered for it");
		}
		try {
			this.json.treeToValue(payload, type.payloadType());
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"the payload does not fit " + type.payloadType().getSimpleName() + ": " + ex.getOriginalMessage(),
					ex);
		}
		return schedule(type, payload, Instant.now(), key);
	}

	private <P> JobId schedule(JobType<P> type, P payload, Instant runAt, String key) {
		return schedule(type, this.json.valueToTree(payload), runAt, key);
	}

	private JobId schedule(JobType<?> type, JsonNode payload, Instant runAt, String key) {
		Instant now = Instant.now();
		JobData data = new JobData(payload, now, 0);
		boolean created = this.client.scheduleIfNotExists(new TaskInstance<>(type.name(), key, data), runAt);
		if (created) {
			this.metrics.enqueued(type);
			if (!runAt.isAfter(now)) {
				wakeWorkers(type.name());
			}
		}
		return new JobId(type.name(), key);
	}

	private void wakeWorkers(String type) {
		this.jdbc.sql("SELECT pg_notify('" + WAKE_UP_CHANNEL + "', :type)").param("type", type).query().singleRow();
	}

}
