package dev.vitrine.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Task;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The worker role: claims due jobs and runs their handlers. Woken by {@code NOTIFY} when
 * a job is enqueued anywhere, polling only as a fallback. On shutdown it stops claiming,
 * lets running jobs finish within the grace period, then releases whatever it still holds
 * so other workers take it at once instead of after the lease expires.
 */
class JobWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final List<Task<?>> tasks;

	private final Serializer serializer;

	private final JobsSettings settings;

	private final String name;

	private final String roles;

	private final String revision;

	private final UnknownJobTypes unknownTypes;

	private volatile Scheduler scheduler;

	private volatile Thread wakeUpListener;

	private volatile Instant startedAt;

	private volatile Instant lastPoll;

	private volatile String lastError;

	private Instant lastHeartbeat;

	private Instant lastUnknownTypeSweep;

	JobWorker(DataSource dataSource, JdbcClient jdbc, List<Task<?>> tasks, Serializer serializer, JobsSettings settings,
			String name, String roles, String revision, UnknownJobTypes unknownTypes) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.serializer = serializer;
		this.settings = settings;
		this.name = name;
		this.roles = roles;
		this.revision = revision;
		this.unknownTypes = unknownTypes;
	}

	@Override
	public void start() {
		this.startedAt = Instant.now();
		this.scheduler = Scheduler.create(this.dataSource, this.tasks)
			.schedulerName(new SchedulerName.Fixed(this.name))
			.serializer(this.serializer)
			.threads(this.settings.threads())
			.pollUsingLockAndFetch(0.5, 1.0)
			.pollingInterval(this.settings.pollInterval())
			.heartbeatInterval(this.settings.heartbeatInterval())
			.missedHeartbeatsLimit(this.settings.missedHeartbeats())
			.shutdownMaxWait(this.settings.shutdownGrace())
			.enableImmediateExecution()
			// our failure handler logs each failure once, with what happens next
			.failureLogging(LogLevel.DEBUG, false)
			.addSchedulerListener(new AbstractSchedulerListener() {
				@Override
				public void onSchedulerEvent(SchedulerEventType type) {
					if (type == SchedulerEventType.RAN_EXECUTE_DUE || type == SchedulerEventType.RAN_DETECT_DEAD) {
						JobWorker.this.lastPoll = Instant.now();
					}
					else if (type == SchedulerEventType.UNEXPECTED_ERROR) {
						JobWorker.this.lastError = "unexpected error at " + Instant.now();
					}
				}
			})
			.build();
		this.scheduler.start();
		this.jdbc.sql("""
				INSERT INTO job_worker (name, roles, revision, threads, started_at, last_heartbeat)
				VALUES (:name, :roles, :revision, :threads, now(), now())
				ON CONFLICT (name) DO UPDATE SET revision = :revision, started_at = now(), last_heartbeat = now()
				""")
			.param("name", this.name)
			.param("roles", this.roles)
			.param("revision", this.revision)
			.param("threads", this.settings.threads())
			.update();
		// assigned before it starts: the thread runs while it is the one in this field
		this.wakeUpListener = Thread.ofPlatform()
			.daemon()
			.name("jobs-wake-up")
			.uncaughtExceptionHandler((thread, ex) -> log.error("Job wake-ups stopped", ex))
			.unstarted(this::listenForWakeUps);
		this.wakeUpListener.start();
		log.info("Worker {} started: revision {}, {} job types, {} threads, lease {} s", this.name, this.revision,
				this.tasks.size(), this.settings.threads(), this.settings.lease().toSeconds());
	}

	@Override
	public void stop() {
		Thread listener = this.wakeUpListener;
		this.wakeUpListener = null;
		if (listener != null) {
			listener.interrupt();
		}
		log.info("Worker {} stopping: no new jobs; running ones have {} s to finish", this.name,
				this.settings.shutdownGrace().toSeconds());
		this.scheduler.stop();
		int released = this.jdbc.sql("""
				UPDATE scheduled_tasks SET picked = false, picked_by = NULL, last_heartbeat = NULL,
				       version = version + 1
				WHERE picked AND picked_by = :name
				""").param("name", this.name).update();
		this.jdbc.sql("DELETE FROM job_worker WHERE name = ?").param(this.name).update();
		log.info("Worker {} stopped{}", this.name, (released > 0) ? "; released " + released + " unfinished jobs" : "");
	}

	/**
	 * When the worker last showed it can reach the database: its engine found due jobs or
	 * queried for abandoned ones, or its wake-up connection answered. Null before the
	 * first.
	 */
	Instant lastPoll() {
		return this.lastPoll;
	}

	/** When this worker started, or null before it did. */
	Instant startedAt() {
		return this.startedAt;
	}

	/** How stale {@link #lastPoll()} may be on a healthy worker. */
	Duration healthyPollAge() {
		Duration slowest = (this.settings.pollInterval().compareTo(this.settings.heartbeatInterval()) > 0)
				? this.settings.pollInterval() : this.settings.heartbeatInterval();
		Duration allowed = slowest.multipliedBy(4);
		return (allowed.compareTo(Duration.ofSeconds(15)) > 0) ? allowed : Duration.ofSeconds(15);
	}

	String lastError() {
		return this.lastError;
	}

	String name() {
		return this.name;
	}

	@Override
	public boolean isRunning() {
		return this.wakeUpListener != null;
	}

	@Override
	public int getPhase() {
		// stop before the web server's graceful shutdown ends and long before the pool
		// closes
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

	/**
	 * Renews this worker's row in {@code job_worker}, at most once per heartbeat
	 * interval.
	 */
	private void heartbeat() {
		Instant now = Instant.now();
		if (this.lastHeartbeat != null
				&& Duration.between(this.lastHeartbeat, now).compareTo(this.settings.heartbeatInterval()) < 0) {
			return;
		}
		this.lastHeartbeat = now;
		try {
			this.jdbc.sql("UPDATE job_worker SET last_heartbeat = now() WHERE name = ?").param(this.name).update();
			// no need to look for unknown-type jobs more often than they can come of age
			Duration sweepEvery = (this.settings.unknownTypeGrace().compareTo(Duration.ofMinutes(1)) < 0)
					? this.settings.unknownTypeGrace() : Duration.ofMinutes(1);
			if (this.lastUnknownTypeSweep == null
					|| Duration.between(this.lastUnknownTypeSweep, now).compareTo(sweepEvery) >= 0) {
				this.lastUnknownTypeSweep = now;
				this.unknownTypes.failWaitingLongerThan(this.settings.unknownTypeGrace());
			}
		}
		catch (RuntimeException ex) {
			// not fatal for wake-ups: the next heartbeat tries again
			log.warn("Worker {} heartbeat failed: {}", this.name, ex.getMessage());
		}
	}

	private void listenForWakeUps() {
		while (this.wakeUpListener == Thread.currentThread()) {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("LISTEN " + DbSchedulerJobs.WAKE_UP_CHANNEL);
				// jobs enqueued before LISTEN took effect sent their NOTIFY to nobody:
				// look now
				this.scheduler.triggerCheckForDueExecutions();
				PGConnection postgres = connection.unwrap(PGConnection.class);
				while (this.wakeUpListener == Thread.currentThread()) {
					PGNotification[] notifications = postgres.getNotifications(1000);
					// the engine reports a poll only when it finds jobs; an idle worker
					// shows it
					// is alive through this connection
					this.lastPoll = Instant.now();
					heartbeat();
					if (notifications != null && notifications.length > 0) {
						this.scheduler.triggerCheckForDueExecutions();
					}
				}
			}
			catch (SQLException ex) {
				if (this.wakeUpListener != Thread.currentThread()) {
					return;
				}
				log.warn("Job wake-ups paused ({}); polling every {} ms until the database answers", ex.getMessage(),
						this.settings.pollInterval().toMillis());
				try {
					Thread.sleep(this.settings.pollInterval().toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

}
