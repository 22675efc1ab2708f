package dev.vitrine.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.DatabaseNotifications;
import dev.vitrine.ops.Role;
import dev.vitrine.ops.Revision;
import dev.vitrine.ops.Roles;
import dev.vitrine.ops.Schema;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the jobs module: the client and schedules every role uses, the worker for the
 * worker role, the schedule firer for the scheduler role.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	@Bean
	JobHistory jobHistory(JdbcClient jdbc) {
		return new JobHistory(jdbc);
	}

	@Bean
	JobMetrics jobMetrics(MeterRegistry registry) {
		return new JobMetrics(registry);
	}

	@Bean
	KnownJobTypes knownJobTypes(ObjectProvider<JobType<?>> types, ObjectProvider<JobHandler<?>> handlers,
			ObjectProvider<ScheduleDefinition<?>> schedules) {
		return new KnownJobTypes(() -> Stream
			.of(types.orderedStream(), handlers.orderedStream().map(JobHandler::type),
					schedules.orderedStream().map(ScheduleDefinition::type))
			.flatMap((stream) -> stream)
			.<JobType<?>>map((type) -> type)
			.toList());
	}

	@Bean
	JobQueueMetrics jobQueueMetrics(JdbcClient jdbc, MeterRegistry registry, JobsSettings settings,
			KnownJobTypes types) {
		return new JobQueueMetrics(jdbc, registry, settings.lease(), types);
	}

	@Bean
	PgJobs jobs(JdbcClient jdbc, JsonMapper json, JobMetrics metrics, KnownJobTypes types) {
		return new PgJobs(jdbc, json, metrics, types);
	}

	@Bean
	JdbcJobMonitor jobMonitor(JdbcClient jdbc, JobsSettings settings, KnownJobTypes types) {
		return new JdbcJobMonitor(jdbc, settings.lease(), types);
	}

	@Bean
	JdbcSchedules schedules(JdbcClient jdbc, PgJobs jobs, JsonMapper json) {
		return new JdbcSchedules(jdbc, jobs, json);
	}

	/**
	 * Stores code-defined schedules once the schema exists (after all singletons, Flyway
	 * included; in a process that waits for the schema, once it is current), and disables
	 * stored ones that this code does not define (see {@link ScheduleView.Status}).
	 */
	@Bean
	SmartInitializingSingleton defaultSchedules(JdbcSchedules schedules,
			ObjectProvider<ScheduleDefinition<?>> definitions, Schema schema) {
		return () -> schema.whenCurrent("storing the default schedules",
				() -> schedules.storeDefaults(definitions.orderedStream().toList()));
	}

	@Bean
	DiagnosticJobHandler diagnosticJobHandler() {
		return new DiagnosticJobHandler();
	}

	@Bean
	HistoryRetentionJob historyRetentionJob(JobHistory history, JobsSettings settings) {
		return new HistoryRetentionJob(history, settings.historyRetention());
	}

	@Bean
	ScheduleDefinition<?> historyRetentionSchedule() {
		return HistoryRetentionJob.SCHEDULE;
	}

	@Bean
	WorkerRevisionsInfo workerRevisionsInfo(JdbcClient jdbc, JobsSettings settings) {
		return new WorkerRevisionsInfo(jdbc, settings.lease());
	}

	/**
	 * The worker engine's own connections (fetcher, completer, keeper), outside the
	 * application's pool so handlers keep all of it, and with {@code synchronous_commit}
	 * off (see {@link JobTable}).
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnRole(Role.WORKER)
	EngineConnections jobEngineConnections(DataSource dataSource) {
		return EngineConnections.from(dataSource);
	}

	@Bean
	@ConditionalOnRole(Role.WORKER)
	JobWorker jobWorker(EngineConnections connections, DatabaseNotifications notifications,
			List<JobHandler<?>> handlers, JsonMapper json, JobMetrics metrics, JobsSettings settings, Roles roles,
			Revision revision) {
		WorkerIdentity identity = new WorkerIdentity(workerName(), roles.toString(), revision.value());
		JobTable table = new JobTable(connections.dataSource(), identity.name(), settings.lease());
		return new JobWorker(notifications, table, handlers, json, metrics, settings, identity);
	}

	@Bean
	@ConditionalOnRole(Role.WORKER)
	HealthIndicator jobWorkerHealthIndicator(JobWorker worker) {
		return JobsHealth.worker(worker);
	}

	@Bean
	@ConditionalOnRole(Role.SCHEDULER)
	ScheduleFirer scheduleFirer(JdbcClient jdbc, TransactionTemplate transaction, PgJobs jobs, JsonMapper json,
			JobsSettings settings, MeterRegistry registry, ObjectProvider<ScheduleDefinition<?>> definitions) {
		ScheduleFirer firer = new ScheduleFirer(jdbc, transaction, jobs, json, settings.scheduleTick(),
				definitions.orderedStream().map(ScheduleDefinition::name).toList());
		// what the "scheduler not ticking" alert watches: it grows when the ticker
		// is stuck or dead, while the process still looks healthy from outside
		Gauge.builder("vitrine.scheduler.tick.age", firer, ScheduleFirer::secondsSinceLastTick)
			.description("Seconds since this scheduler process last looked for due schedules")
			.baseUnit("seconds")
			.register(registry);
		return firer;
	}

	@Bean
	@ConditionalOnRole(Role.SCHEDULER)
	HealthIndicator schedulerHealthIndicator(ScheduleFirer firer) {
		return JobsHealth.scheduler(firer);
	}

	/**
	 * Host, process id and a random tag: what the monitor shows as the worker, and the
	 * engine's lease owner, so it must be unique. Host and pid alone are not: two
	 * containers on one host's network share its host name, and in each the JVM is pid 1,
	 * so during a deploy the new worker would take over the old one's leases and row.
	 */
	static String workerName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + "#" + ManagementFactory.getRuntimeMXBean().getPid() + "."
				+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(0x1000000)).substring(2);
	}

}
