package dev.vitrine.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The schema of a process that does not migrate: one query on
 * {@code flyway_schema_history} at start, on a thread of its own; while the schema is
 * behind the code, a check every {@link #POLL}, readiness DOWN (this is the
 * {@code schema} health indicator) and a log line naming what it waits for and what to
 * run. Tasks given to {@link #whenCurrent} wait with it. A newer schema than the code (a
 * rollback) counts as current, as Flyway's default does.
 */
final class AwaitedSchema implements Schema, HealthIndicator, DisposableBean {

	static final Duration POLL = Duration.ofSeconds(1);

	/** How often the wait is logged again. */
	static final Duration REMIND = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(AwaitedSchema.class);

	private final DataSource dataSource;

	private final SchemaVersion expected;

	private final List<Task> waiting = new ArrayList<>();

	private volatile boolean current;

	/** Current, and the tasks that waited for it done: what readiness reports. */
	private volatile boolean ready;

	private volatile String behind = "not checked yet";

	private volatile Thread poller;

	AwaitedSchema(DataSource dataSource, SchemaVersion expected) {
		this.dataSource = dataSource;
		this.expected = expected;
		// checked beside the rest of the start, not before it: the first connection (TLS,
		// SCRAM) and what waits for the schema take the other core meanwhile
		this.poller = Thread.ofPlatform().daemon().name("schema-wait").start(this::await);
	}

	boolean isReady() {
		return this.ready;
	}

	/** Why the schema is not usable yet, for the log, health and the 503 page. */
	String behind() {
		return this.behind;
	}

	@Override
	public void whenCurrent(String what, Runnable task) {
		synchronized (this.waiting) {
			if (!this.current) {
				this.waiting.add(new Task(what, task));
				return;
			}
		}
		task.run();
	}

	@Override
	public Health health() {
		if (this.ready) {
			return Health.up().withDetail("version", this.expected.toString()).build();
		}
		String waitingFor = this.current ? "the start-up work that needed it" : this.behind;
		// in the status's description, which every probe shows (a CapRover deploy reads
		// /health/ only), as the 503 page does
		return Health.status(new Status(Status.OUT_OF_SERVICE.getCode(), "waiting for " + waitingFor))
			.withDetail("waitingFor", waitingFor)
			.build();
	}

	/**
	 * @return whether the schema is current now
	 */
	private boolean check() {
		Optional<SchemaVersion> found;
		try (Connection connection = this.dataSource.getConnection()) {
			found = SchemaVersion.ofDatabase(connection);
		}
		catch (SQLException | RuntimeException ex) {
			this.behind = "cannot read the schema version (" + ex.getMessage() + ")";
			return false;
		}
		if (found.isPresent() && found.get().compareTo(this.expected) >= 0) {
			if (found.get().compareTo(this.expected) > 0) {
				log.info("Schema: the database is at version {}, newer than this code's {} (a rollback?): serving",
						found.get(), this.expected);
			}
			markCurrent();
			return true;
		}
		this.behind = "the database schema is at version " + found.map(SchemaVersion::toString).orElse("none")
				+ ", this code needs " + this.expected;
		return false;
	}

	private void markCurrent() {
		List<Task> due;
		synchronized (this.waiting) {
			this.current = true;
			due = List.copyOf(this.waiting);
			this.waiting.clear();
		}
		for (Task task : due) {
			try {
				task.task().run();
			}
			catch (RuntimeException ex) {
				log.error("Schema: {} failed once the schema was current", task.what(), ex);
			}
		}
		this.ready = true;
	}

	private void await() {
		if (check()) {
			return;
		}
		log.warn(
				"Schema: {}; waiting for it (readiness DOWN, pages 503) until the worker or scheduler"
						+ " migrates it, or run `java -jar vitrine.jar migrate` (this web process does not migrate)",
				this.behind);
		Instant reminded = Instant.now();
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Thread.sleep(POLL);
				if (check()) {
					log.info("Schema: at version {} now; ready", this.expected);
					return;
				}
				if (Instant.now().isAfter(reminded.plus(REMIND))) {
					reminded = Instant.now();
					log.warn("Schema: still waiting: {} (run `java -jar vitrine.jar migrate`, or start the worker)",
							this.behind);
				}
			}
		}
		catch (InterruptedException ex) {
			// stopping
		}
	}

	@Override
	public void destroy() {
		Thread thread = this.poller;
		if (thread != null) {
			thread.interrupt();
		}
	}

	private record Task(String what, Runnable task) {
	}

}
