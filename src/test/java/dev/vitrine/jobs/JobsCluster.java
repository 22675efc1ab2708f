package dev.vitrine.jobs;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the multi-process job tests share: a fresh database, a web process in this JVM
 * that owns the schema, enqueues and reads the tables, and processes of the built jar
 * beside it (workers, schedulers), each with its own management port.
 */
final class JobsCluster implements AutoCloseable {

	private final String databaseUrl;

	private final ConfigurableApplicationContext web;

	private JobsCluster(String databaseUrl, ConfigurableApplicationContext web) {
		this.databaseUrl = databaseUrl;
		this.web = web;
	}

	static JobsCluster start(String name) {
		String url = TestPostgres.newMigratedDatabase(name);
		return new JobsCluster(url,
				new SpringApplicationBuilder(VitrineApplication.class)
					.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=web",
							"server.port=0", "vitrine.management.port=0", "vitrine.content.demo=false")
					.run());
	}

	Jobs jobs() {
		return this.web.getBean(Jobs.class);
	}

	JdbcClient jdbc() {
		return this.web.getBean(JdbcClient.class);
	}

	<T> T bean(Class<T> type) {
		return this.web.getBean(type);
	}

	ConfigurableApplicationContext web() {
		return this.web;
	}

	/** The environment of a process of the jar with these roles on this database. */
	Map<String, String> environment(String roles, Map<String, String> settings) {
		Map<String, String> environment = new HashMap<>(settings);
		environment.put("VITRINE_DB_URL", this.databaseUrl);
		environment.put("VITRINE_DB_USER", TestPostgres.user());
		environment.put("VITRINE_ROLES", roles);
		environment.put("VITRINE_CONTENT_DEMO", "false");
		environment.put("VITRINE_MANAGEMENT_PORT", Integer.toString(Http.freePort()));
		return environment;
	}

	/** Starts a worker process without waiting for it. */
	AppProcess launchWorker(String name, Map<String, String> settings) {
		return AppProcess.start("worker-" + name, environment("worker", settings));
	}

	/** Starts a worker process and waits until its engine runs. */
	AppProcess startWorker(String name, Map<String, String> settings) {
		AppProcess worker = launchWorker(name, settings);
		awaitStarted(worker);
		return worker;
	}

	static void awaitStarted(AppProcess worker) {
		worker.awaitLine("Worker .* started", Duration.ofMinutes(2));
	}

	boolean succeeded(long jobId) {
		return jdbc().sql("SELECT count(*) FROM job_run WHERE job_id = ? AND outcome = 'succeeded'")
			.param(jobId)
			.query(Integer.class)
			.single() > 0;
	}

	/** Jobs the database credits to this worker process as running. */
	int runningOn(AppProcess worker) {
		return jdbc().sql("SELECT count(*) FROM job WHERE state = 'running' AND leased_by LIKE ?")
			.param("%#" + worker.pid() + ".%")
			.query(Integer.class)
			.single();
	}

	@Override
	public void close() {
		this.web.close();
	}

}
