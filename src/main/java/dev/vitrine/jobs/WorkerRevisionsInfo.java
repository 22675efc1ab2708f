package dev.vitrine.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.vitrine.ops.InfoDetail;

/**
 * Adds {@code jobs.liveWorkers} to {@code /actuator/info}: how many workers of each
 * revision have a heartbeat within the lease. A deploy reads it from any web process to
 * see the new workers come up and the old ones leave, without reaching the workers
 * themselves (on CapRover they have no public address).
 */
class WorkerRevisionsInfo implements InfoDetail {

	private final JdbcClient jdbc;

	private final Duration lease;

	WorkerRevisionsInfo(JdbcClient jdbc, Duration lease) {
		this.jdbc = jdbc;
		this.lease = lease;
	}

	@Override
	public String name() {
		return "jobs";
	}

	@Override
	public Object value() {
		try {
			Map<String, Long> byRevision = new LinkedHashMap<>();
			this.jdbc.sql("""
					SELECT revision, count(*) AS workers FROM job_worker
					WHERE stopped_at IS NULL AND last_heartbeat > now() - make_interval(secs => :lease)
					GROUP BY revision ORDER BY revision
					""").param("lease", (double) this.lease.toSeconds()).query((rs) -> {
				byRevision.put(rs.getString("revision"), rs.getLong("workers"));
			});
			return Map.of("liveWorkers", byRevision);
		}
		catch (DataAccessException ex) {
			// info must answer while the database is away; health says why
			return Map.of("liveWorkers", "unavailable");
		}
	}

}
