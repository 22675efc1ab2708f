package dev.vitrine.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gauges read from the database every few seconds: jobs due and waiting, the oldest one's
 * age, jobs running (per type), and workers alive. They describe the whole system, so
 * every process reports the same values: aggregate them with {@code max}, not
 * {@code sum}.
 */
class JobQueueMetrics implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobQueueMetrics.class);

	private static final Duration REFRESH = Duration.ofSeconds(5);

	private final JdbcClient jdbc;

	private final Duration lease;

	private final KnownJobTypes knownTypes;

	private final MultiGauge queueDepth;

	private final MultiGauge oldestPending;

	private final MultiGauge running;

	private volatile double workersAlive;

	private ScheduledExecutorService refresher;

	JobQueueMetrics(JdbcClient jdbc, MeterRegistry registry, Duration lease, KnownJobTypes knownTypes) {
		this.jdbc = jdbc;
		this.lease = lease;
		this.knownTypes = knownTypes;
		this.queueDepth = MultiGauge.builder("vitrine.jobs.queue.depth")
			.description("Jobs due and waiting for a worker")
			.register(registry);
		this.oldestPending = MultiGauge.builder("vitrine.jobs.oldest.pending")
			.description("How long the oldest due job has waited")
			.baseUnit("seconds")
			.register(registry);
		this.running = MultiGauge.builder("vitrine.jobs.running").description("Jobs being run").register(registry);
		Gauge.builder("vitrine.jobs.workers.alive", this, (metrics) -> metrics.workersAlive)
			.description("Worker processes whose heartbeat is within the lease and that have not stopped")
			.register(registry);
	}

	void refresh() {
		record Row(String type, long due, long running, double oldestSeconds) {
		}
		List<Row> rows = this.jdbc.sql("""
				SELECT type,
				       count(*) FILTER (WHERE state = 'pending' AND run_at <= now()) AS due,
				       count(*) FILTER (WHERE state = 'running') AS running,
				       COALESCE(extract(epoch FROM now() - min(run_at)
				                FILTER (WHERE state = 'pending' AND run_at <= now())), 0) AS oldest
				FROM job GROUP BY type
				""")
			.query((rs, row) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4)))
			.list()
			.stream()
			.collect(Collectors.toCollection(ArrayList::new));
		List<MultiGauge.Row<?>> depth = new ArrayList<>();
		List<MultiGauge.Row<?>> oldest = new ArrayList<>();
		List<MultiGauge.Row<?>> active = new ArrayList<>();
		// an idle type has no rows: report it as 0, not as missing
		Set<String> idle = new HashSet<>(this.knownTypes.sortedNames());
		rows.forEach((row) -> idle.remove(row.type()));
		idle.forEach((type) -> rows.add(new Row(type, 0, 0, 0)));
		for (Row row : rows) {
			Tags tags = Tags.of("type", row.type());
			depth.add(MultiGauge.Row.of(tags, row.due()));
			oldest.add(MultiGauge.Row.of(tags, row.oldestSeconds()));
			active.add(MultiGauge.Row.of(tags, row.running()));
		}
		this.queueDepth.register(depth, true);
		this.oldestPending.register(oldest, true);
		this.running.register(active, true);
		this.workersAlive = this.jdbc.sql("""
				SELECT count(*) FROM job_worker
				WHERE stopped_at IS NULL AND last_heartbeat > now() - make_interval(secs => :lease)
				""").param("lease", (double) this.lease.toSeconds()).query(Long.class).single();
	}

	@Override
	public void start() {
		this.refresher = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("jobs-queue-metrics").factory());
		this.refresher.scheduleWithFixedDelay(() -> {
			try {
				refresh();
			}
			catch (RuntimeException ex) {
				log.debug("Could not refresh job queue metrics: {}", ex.getMessage());
			}
		}, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.refresher.shutdownNow();
		this.refresher = null;
	}

	@Override
	public boolean isRunning() {
		return this.refresher != null;
	}

}
