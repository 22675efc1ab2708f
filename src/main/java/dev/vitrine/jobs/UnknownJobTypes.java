package dev.vitrine.jobs;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fails jobs whose type no handler knows, once they have waited longer than a grace
 * period: the grace lets a rolling deployment bring up the workers that know a new type.
 * Each such job ends {@code failed} in the history with the reason, so an operator sees
 * it and can retry it later.
 */
class UnknownJobTypes {

	private static final Logger log = LoggerFactory.getLogger(UnknownJobTypes.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final JobHistory history;

	private final JsonMapper json;

	private final Set<String> known;

	private final String workerName;

	UnknownJobTypes(JdbcClient jdbc, TransactionTemplate transaction, JobHistory history, JsonMapper json,
			Set<String> known, String workerName) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.history = history;
		this.json = json;
		this.known = known;
		this.workerName = workerName;
	}

	/**
	 * Fails the unknown-type jobs due for longer than {@code grace}; returns how many.
	 */
	int failWaitingLongerThan(Duration grace) {
		Integer failed = this.transaction.execute((status) -> {
			record Orphan(String type, String key, byte[] data, Instant due) {
			}
			List<Orphan> orphans = this.jdbc.sql("""
					DELETE FROM scheduled_tasks
					WHERE NOT picked AND task_name <> ALL(:known) AND execution_time < :cutoff
					RETURNING task_name, task_instance, task_data, execution_time
					""")
				.param("known", this.known.toArray(String[]::new))
				.param("cutoff", Timestamp.from(Instant.now().minus(grace)))
				.query((rs, row) -> new Orphan(rs.getString(1), rs.getString(2), rs.getBytes(3),
						rs.getTimestamp(4).toInstant()))
				.list();
			Instant now = Instant.now();
			for (Orphan orphan : orphans) {
				JobData data = readable(orphan.data());
				String error = "unknown job type '" + orphan.type() + "': no worker has a handler for it (waited "
						+ grace.toMinutes() + " min)";
				this.history.record(new JobHistory.Attempt(new JobId(orphan.type(), orphan.key()),
						(data != null) ? data.payload().toString() : null, (data != null) ? data.attempts() + 1 : 1,
						"failed", null, this.workerName, (data != null) ? data.enqueuedAt() : orphan.due(), null, now,
						error, null));
				log.warn("Job {}/{} failed: {}", orphan.type(), orphan.key(), error);
			}
			return orphans.size();
		});
		return (failed != null) ? failed : 0;
	}

	private JobData readable(byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			JobData read = this.json.readValue(new String(data, StandardCharsets.UTF_8), JobData.class);
			return (read.payload() != null && read.enqueuedAt() != null) ? read : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
