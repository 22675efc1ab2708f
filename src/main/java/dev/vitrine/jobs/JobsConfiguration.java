package dev.vitrine.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import dev.vitrine.ops.Revision;
import dev.vitrine.ops.Roles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the jobs module: the client and schedules every role uses, the worker for the
 * worker role, the schedule firer for the scheduler role.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	@Bean
	JsonSerializer jobSerializer(JsonMapper json) {
		return new JsonSerializer(json);
	}

	@Bean
	JobHistory jobHistory(JdbcClient jdbc) {
		return new JobHistory(jdbc);
	}

	@Bean
	JobMetrics jobMetrics(MeterRegistry registry) {
		return new JobMetrics(registry);
	}

	@Bean
	KnownJobTypes knownJobTypes(ObjectProvider<JobHandler<?>> handlers) {
		return new KnownJobTypes(() -> handlers.orderedStream().toList());
	}

	@Bean
	JobQueueMetrics jobQueueMetrics(JdbcClient jdbc, MeterRegistry registry, JobsSettings settings,
			KnownJobTypes types) {
		return new JobQueueMetrics(jdbc, registry, settings.lease(), types.names());
	}

	@Bean
	DbSchedulerJobs jobs(DataSource dataSource, JdbcClient jdbc, JsonMapper json, JsonSerializer serializer,
			JobHistory history, JobMetrics metrics, KnownJobTypes types) {
		// transaction-aware: an enqueue is part of the caller's transaction
		SchedulerClient client = SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource))
			.serializer(serializer)
			.build();
		return new DbSchedulerJobs(client, jdbc, json, history, metrics, types);
	}

	@Bean
	JdbcJobMonitor jobMonitor(JdbcClient jdbc, JobsSettings settings, KnownJobTypes types) {
		return new JdbcJobMonitor(jdbc, settings.lease(), types.sortedNames());
	}

	@Bean
	JdbcSchedules schedules(JdbcClient jdbc, DbSchedulerJobs jobs, JsonMapper json) {
		return new JdbcSchedules(jdbc, jobs, json);
	}

	/**
	 * Stores code-defined schedules once the schema exists (after all singletons, Flyway
	 * included).
	 */
	@Bean
	SmartInitializingSingleton defaultSchedules(JdbcSchedules schedules,
			ObjectProvider<ScheduleDefinition<?>> definitions) {
		return () -> definitions.orderedStream().forEach(schedules::storeDefault);
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
		return HistoryRetentionJob.NIGHTLY;
	}

	@Bean
	WorkerRevisionsInfo workerRevisionsInfo(JdbcClient jdbc, JobsSettings settings) {
		return new WorkerRevisionsInfo(jdbc, settings.lease());
	}

	@Bean(destroyMethod = "shutdownNow")
	@ConditionalOnRole(Role.WORKER)
	ScheduledExecutorService jobTimeouts() {
		return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("jobs-timeouts").factory());
	}

	@Bean
	@ConditionalOnRole(Role.WORKER)
	JobWorker jobWorker(DataSource dataSource, JdbcClient jdbc, List<JobHandler<?>> handlers, JsonMapper json,
			JsonSerializer serializer, JobHistory history, JobMetrics metrics, JobsSettings settings,
			ScheduledExecutorService jobTimeouts, Roles roles, Revision revision, TransactionTemplate transaction,
			KnownJobTypes types) {
		String name = workerName();
		JobRunner runner = new JobRunner(json, history, metrics, name, jobTimeouts);
		List<Task<?>> tasks = handlers.stream().<Task<?>>map(runner::task).toList();
		UnknownJobTypes unknownTypes = new UnknownJobTypes(jdbc, transaction, history, json, types.names(), name);
		return new JobWorker(dataSource, jdbc, tasks, serializer, settings, name, roles.toString(), revision.value(),
				unknownTypes);
	}

	@Bean
	@ConditionalOnRole(Role.WORKER)
	HealthIndicator jobWorkerHealthIndicator(JobWorker worker) {
		return JobsHealth.worker(worker);
	}

	@Bean
	@ConditionalOnRole(Role.SCHEDULER)
	ScheduleFirer scheduleFirer(JdbcClient jdbc, TransactionTemplate transaction, DbSchedulerJobs jobs, JsonMapper json,
			JobsSettings settings, MeterRegistry registry) {
		ScheduleFirer firer = new ScheduleFirer(jdbc, transaction, jobs, json, settings.scheduleTick());
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
