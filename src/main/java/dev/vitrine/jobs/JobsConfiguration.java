package dev.vitrine.jobs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Wires the jobs module: the client every role uses, and the worker for the worker role.
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
	Jobs jobs(DataSource dataSource, JdbcClient jdbc, JsonMapper json, JsonSerializer serializer, JobHistory history,
			JobMetrics metrics) {
		// transaction-aware: an enqueue is part of the caller's transaction
		SchedulerClient client = SchedulerClient.Builder.create(new TransactionAwareDataSourceProxy(dataSource))
			.serializer(serializer)
			.build();
		return new DbSchedulerJobs(client, jdbc, json, history, metrics);
	}

	@Bean
	DiagnosticJobHandler diagnosticJobHandler() {
		return new DiagnosticJobHandler();
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
			ScheduledExecutorService jobTimeouts) {
		String name = workerName();
		JobRunner runner = new JobRunner(json, history, metrics, name, jobTimeouts);
		List<Task<?>> tasks = handlers.stream().<Task<?>>map(runner::task).toList();
		return new JobWorker(dataSource, jdbc, tasks, serializer, settings, name);
	}

	/**
	 * Host and process id: what the monitor shows as the worker, and the engine's lease
	 * owner.
	 */
	static String workerName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + "#" + ManagementFactory.getRuntimeMXBean().getPid();
	}

}
