package dev.vitrine.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/** {@link Schedules} on the {@code job_schedule} table. */
class JdbcSchedules implements Schedules {

	private static final Logger log = LoggerFactory.getLogger(JdbcSchedules.class);

	private final JdbcClient jdbc;

	private final PgJobs jobs;

	private final JsonMapper json;

	JdbcSchedules(JdbcClient jdbc, PgJobs jobs, JsonMapper json) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.json = json;
	}

	/**
	 * Stores the code-defined schedules (operators' edits to existing ones win) and
	 * disables stored schedules that code no longer defines, so a schedule removed from
	 * the code stops firing instead of failing at every fire time. Such a disabling is
	 * marked {@link ScheduleView.Status#MISSING_FROM_CODE}: this start may be a candidate
	 * that a deploy then refuses, or a rollback, so schedulers whose code defines the
	 * schedule go on firing it, and the next start of one enables it again.
	 */
	@Transactional
	void storeDefaults(List<ScheduleDefinition<?>> definitions) {
		// one process at a time: two versions starting together would each lock the rows
		// the other's code lacks, in another order, and deadlock
		this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('job_schedule defaults', 0))").query().singleRow();
		definitions.forEach(this::storeDefault);
		List<String> disabled = this.jdbc.sql("""
				UPDATE job_schedule SET enabled = false, missing_from_code = true, updated_at = now()
				WHERE enabled AND name <> ALL (CAST(:defined AS text[]))
				RETURNING name
				""")
			.param("defined", definitions.stream().map(ScheduleDefinition::name).toArray(String[]::new))
			.query(String.class)
			.list();
		if (!disabled.isEmpty()) {
			log.warn("Disabled schedules that this version's code does not define: {} (schedulers of a version "
					+ "that defines them still fire them)", String.join(", ", disabled));
		}
	}

	/**
	 * Stores a code-defined schedule unless one of that name exists (operators' edits
	 * win); one disabled because another version's code lacked it is enabled again.
	 */
	void storeDefault(ScheduleDefinition<?> definition) {
		Schedule schedule = definition.schedule();
		this.jdbc.sql("""
				INSERT INTO job_schedule (name, job_type, payload, cron, interval_ms, zone, misfire, misfire_grace_ms,
				                          next_fire_at)
				VALUES (:name, :type, CAST(:payload AS jsonb), :cron, :interval, :zone, :misfire, :grace, :next)
				ON CONFLICT (name) DO UPDATE SET enabled = true, missing_from_code = false, updated_at = now()
				WHERE job_schedule.missing_from_code
				""")
			.param("name", definition.name())
			.param("type", definition.type().name())
			.param("payload", this.json.writeValueAsString(definition.payload()))
			.param("cron", schedule.cron())
			.param("interval", (schedule.interval() != null) ? schedule.interval().toMillis() : null)
			.param("zone", schedule.zone().getId())
			.param("misfire", definition.misfire().label())
			.param("grace", definition.misfireGrace().toMillis())
			.param("next", Timestamp.from(schedule.nextAfter(Instant.now())))
			.update();
	}

	@Override
	public List<ScheduleView> list() {
		return this.jdbc.sql("""
				SELECT s.*, (SELECT r.outcome FROM job_run r WHERE r.job_id = s.last_job_id
				             ORDER BY r.id DESC LIMIT 1) AS last_outcome
				FROM job_schedule s ORDER BY s.name
				""").query(JdbcSchedules::view).list();
	}

	@Override
	@Transactional
	public void setEnabled(String name, boolean enabled) {
		Edit edit = lockForEdit(name);
		this.jdbc.sql("""
				UPDATE job_schedule SET enabled = :enabled, missing_from_code = false, next_fire_at = :next,
				       updated_at = now()
				WHERE name = :name
				""")
			.param("enabled", enabled)
			.param("next", Timestamp.from(edit.next(edit.schedule())))
			.param("name", name)
			.update();
	}

	@Override
	@Transactional
	public void update(String name, Schedule schedule, ScheduleDefinition.Misfire misfire, Duration misfireGrace) {
		ScheduleDefinition.requireGrace(misfireGrace);
		Edit edit = lockForEdit(name);
		this.jdbc.sql("""
				UPDATE job_schedule SET cron = :cron, interval_ms = :interval, zone = :zone, misfire = :misfire,
				       misfire_grace_ms = :grace, next_fire_at = :next, updated_at = now()
				WHERE name = :name
				""")
			.param("cron", schedule.cron())
			.param("interval", (schedule.interval() != null) ? schedule.interval().toMillis() : null)
			.param("zone", schedule.zone().getId())
			.param("misfire", misfire.label())
			.param("grace", misfireGrace.toMillis())
			.param("next", Timestamp.from(edit.next(schedule)))
			.param("name", name)
			.update();
	}

	/**
	 * Locks the row for an operator's edit, after any fire in progress commits, and tells
	 * from when its next fire time is to be counted: the database's clock now, or the
	 * last fire if a scheduler's clock ran ahead. Counted from the application's clock
	 * without the lock, an edit at a fire time could store that fire time again after the
	 * scheduler enqueued it, and it would fire twice.
	 */
	private Edit lockForEdit(String name) {
		return this.jdbc.sql("""
				SELECT cron, interval_ms, zone, greatest(clock_timestamp(), last_fire_at) AS after,
				       CASE WHEN (enabled OR missing_from_code) AND next_fire_at <= clock_timestamp()
				            THEN next_fire_at END AS due
				FROM job_schedule WHERE name = ?
				FOR UPDATE
				""")
			.param(name)
			.query((rs, row) -> new Edit(schedule(rs), rs.getTimestamp("after").toInstant(),
					Optional.ofNullable(rs.getTimestamp("due")).map(Timestamp::toInstant)))
			.optional()
			.orElseThrow(() -> new NoSuchElementException("no schedule named " + name));
	}

	/**
	 * @param due the fire time a scheduler has yet to fire, if the schedule fires and one
	 * is due: the edit locked the row first, and schedulers skip locked rows
	 */
	private record Edit(Schedule schedule, Instant after, Optional<Instant> due) {

		/**
		 * The next fire time under this schedule, or the one still due: an edit at a fire
		 * time must not make the scheduler skip it (it fires then as any late fire does,
		 * under the schedule's misfire policy).
		 */
		Instant next(Schedule schedule) {
			return this.due.orElseGet(() -> schedule.nextAfter(this.after));
		}

	}

	@Override
	@Transactional
	public JobId runNow(String name) {
		record Target(String type, String payload) {
		}
		Target target = this.jdbc.sql("SELECT job_type, payload::text FROM job_schedule WHERE name = ?")
			.param(name)
			.query((rs, row) -> new Target(rs.getString(1), rs.getString(2)))
			.optional()
			.orElseThrow(() -> new NoSuchElementException("no schedule named " + name));
		JobId id;
		try {
			id = this.jobs.enqueueStored(target.type(), this.json.readTree(target.payload()),
					name + "@now-" + Instant.now());
		}
		catch (IllegalArgumentException ex) {
			// a schedule an older release left (its type gone, or its payload's record
			// changed): a job of it would wait for a worker that never comes, or fail
			throw new IllegalStateException(
					"Schedule " + name + " not run: this version cannot enqueue its job (" + ex.getMessage() + ")", ex);
		}
		this.jdbc.sql("UPDATE job_schedule SET last_job_id = :job, updated_at = now() WHERE name = :name")
			.param("job", id.value())
			.param("name", name)
			.update();
		return id;
	}

	static Schedule schedule(ResultSet rs) throws SQLException {
		long intervalMillis = rs.getLong("interval_ms");
		Duration interval = rs.wasNull() ? null : Duration.ofMillis(intervalMillis);
		return new Schedule(rs.getString("cron"), interval, ZoneId.of(rs.getString("zone")));
	}

	private static ScheduleView view(ResultSet rs, int row) throws SQLException {
		long lastJobId = rs.getLong("last_job_id");
		JobId lastJob = rs.wasNull() ? null : new JobId(rs.getString("job_type"), lastJobId);
		String outcome = rs.getString("last_outcome");
		ScheduleView.Status status = rs.getBoolean("enabled") ? ScheduleView.Status.ENABLED
				: rs.getBoolean("missing_from_code") ? ScheduleView.Status.MISSING_FROM_CODE
						: ScheduleView.Status.DISABLED;
		return new ScheduleView(rs.getString("name"), rs.getString("job_type"), schedule(rs), status,
				ScheduleDefinition.Misfire.fromStored(rs.getString("misfire")),
				Duration.ofMillis(rs.getLong("misfire_grace_ms")), instant(rs.getTimestamp("next_fire_at")),
				instant(rs.getTimestamp("last_fire_at")), lastJob,
				Optional.ofNullable(outcome).map(AttemptOutcome::stored));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
