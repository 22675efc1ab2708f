package dev.vitrine.jobs;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scheduler role: every tick, fires the due schedules. Each due row is locked with
 * {@code FOR UPDATE SKIP LOCKED}, its job enqueued and its next fire time stored in one
 * transaction, so with any number of schedulers a fire time is enqueued exactly once. The
 * job's unique key is {@code <schedule>@<fire time>}. Fire times missed while no
 * scheduler ran collapse into the latest, which runs if the misfire policy allows.
 * <p>
 * A scheduler fires only the schedules its own code defines: one stored by another
 * version's start (a candidate that a deploy then refused) is that version's to fire.
 */
class ScheduleFirer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);

	/**
	 * How late a fire may be and still count as on time under the {@code skip} policy.
	 */
	static final Duration ON_TIME = Duration.ofSeconds(5);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final PgJobs jobs;

	private final JsonMapper json;

	private final Duration tick;

	/** The schedules this process's code defines (see {@link ScheduleView.Status}). */
	private final String[] defined;

	private volatile Thread ticker;

	private volatile Instant startedAt;

	private volatile Instant lastTick;

	ScheduleFirer(JdbcClient jdbc, TransactionTemplate transaction, PgJobs jobs, JsonMapper json, Duration tick,
			List<String> defined) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.jobs = jobs;
		this.json = json;
		this.tick = tick;
		this.defined = defined.toArray(String[]::new);
	}

	@Override
	public void start() {
		this.startedAt = Instant.now();
		// assigned before it starts: the thread ticks while it is the one in this field
		this.ticker = Thread.ofPlatform()
			.daemon()
			.name("scheduler")
			.uncaughtExceptionHandler((thread, ex) -> log.error("Scheduler stopped", ex))
			.unstarted(this::tickUntilStopped);
		this.ticker.start();
		log.info("Scheduler started: firing due schedules every {} ms", this.tick.toMillis());
	}

	@Override
	public void stop() {
		Thread thread = this.ticker;
		this.ticker = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.ticker != null;
	}

	/** When this scheduler started, or null before it did. */
	Instant startedAt() {
		return this.startedAt;
	}

	/** When the scheduler last completed a tick, or null before the first. */
	Instant lastTick() {
		return this.lastTick;
	}

	/**
	 * NaN until the first tick, so a scheduler that never ticked is not taken for a fresh
	 * one.
	 */
	double secondsSinceLastTick() {
		Instant last = this.lastTick;
		return (last != null) ? Duration.between(last, Instant.now()).toMillis() / 1000.0 : Double.NaN;
	}

	Duration tick() {
		return this.tick;
	}

	private void tickUntilStopped() {
		while (this.ticker == Thread.currentThread()) {
			try {
				fireDue();
				this.lastTick = Instant.now();
			}
			catch (RuntimeException ex) {
				log.warn("Scheduler tick failed: {}", ex.getMessage());
			}
			try {
				Thread.sleep(this.tick.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** Fires every due schedule; returns how many jobs it enqueued. */
	int fireDue() {
		Integer fired = this.transaction.execute((status) -> {
			List<Due> due = this.jdbc.sql("""
					SELECT name, job_type, payload::text AS payload, cron, interval_ms, zone, misfire,
					       misfire_grace_ms, next_fire_at, now() AS db_now
					FROM job_schedule
					WHERE (enabled OR missing_from_code) AND name = ANY (CAST(:defined AS text[]))
					  AND next_fire_at <= now()
					ORDER BY next_fire_at
					LIMIT 100
					FOR UPDATE SKIP LOCKED
					""")
				.param("defined", this.defined)
				.query((rs, row) -> new Due(rs.getString("name"), rs.getString("job_type"), rs.getString("payload"),
						JdbcSchedules.schedule(rs), ScheduleDefinition.Misfire.fromStored(rs.getString("misfire")),
						Duration.ofMillis(rs.getLong("misfire_grace_ms")), rs.getTimestamp("next_fire_at").toInstant(),
						rs.getTimestamp("db_now").toInstant()))
				.list();
			int enqueued = 0;
			for (Due schedule : due) {
				enqueued += fire(schedule) ? 1 : 0;
			}
			return enqueued;
		});
		return (fired != null) ? fired : 0;
	}

	private boolean fire(Due due) {
		Instant latest = due.nextFireAt();
		Instant next = due.schedule().nextAfter(latest);
		while (!next.isAfter(due.now())) {
			latest = next;
			next = due.schedule().nextAfter(latest);
		}
		Duration late = Duration.between(latest, due.now());
		Duration allowed = (due.misfire() == ScheduleDefinition.Misfire.RUN_ONCE && due.grace().compareTo(ON_TIME) > 0)
				? due.grace() : ON_TIME;
		boolean onTime = late.compareTo(allowed) <= 0;
		Long jobId = null;
		if (onTime) {
			try {
				jobId = this.jobs
					.enqueueStored(due.jobType(), this.json.readTree(due.payload()), due.name() + "@" + latest)
					.value();
			}
			catch (IllegalArgumentException ex) {
				log.warn("Schedule {} cannot fire: {}", due.name(), ex.getMessage());
			}
		}
		else {
			log.warn("Schedule {} missed its fire time {} by {} s (misfire policy {}): skipped", due.name(), latest,
					late.toSeconds(), due.misfire().label());
		}
		this.jdbc.sql("""
				UPDATE job_schedule
				SET next_fire_at = :next,
				    last_fire_at = CASE WHEN :fired THEN :latest ELSE last_fire_at END,
				    last_job_id = COALESCE(:job, last_job_id)
				WHERE name = :name
				""")
			.param("next", Timestamp.from(next))
			.param("fired", jobId != null)
			.param("latest", Timestamp.from(latest))
			.param("job", jobId, java.sql.Types.BIGINT)
			.param("name", due.name())
			.update();
		return jobId != null;
	}

	private record Due(String name, String jobType, String payload, Schedule schedule,
			ScheduleDefinition.Misfire misfire, Duration grace, Instant nextFireAt, Instant now) {
	}

}
