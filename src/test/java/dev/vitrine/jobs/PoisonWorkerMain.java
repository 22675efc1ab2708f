package dev.vitrine.jobs;

import java.time.Duration;

import javax.sql.DataSource;

import dev.vitrine.VitrineApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker process with one more job type, whose handler halts the JVM the way a native
 * crash or the OOM killer would: started by tests from the test class path
 * ({@code java -cp ... dev.vitrine.jobs.PoisonWorkerMain}), since the production jar has
 * no such handler. Settings come from the environment, as for the jar.
 */
public final class PoisonWorkerMain {

	/** A poison job: each attempt takes its worker down with it. */
	record Poison(String note) {
	}

	// the reaper backs a lost job off as after a failure: short, for a quick test
	static final JobType<Poison> POISON = JobType.of("test.poison", Poison.class)
		.maxAttempts(2)
		.backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

	/** Like {@link #POISON}, with one attempt. */
	static final JobType<Poison> POISON_ONCE = JobType.of("test.poison-once", Poison.class).maxAttempts(1);

	/**
	 * A short job that notes its id in {@code test_started}, committed before it ends.
	 */
	record Mark(int n) {
	}

	static final JobType<Mark> MARK = JobType.of("test.mark", Mark.class).maxAttempts(1);

	private PoisonWorkerMain() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(VitrineApplication.class, PoisonHandler.class)
			.properties("vitrine.roles=worker", "vitrine.content.demo=false")
			.run(args);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class PoisonHandler {

		@Bean
		JobHandler<Poison> poisonOnceHandler() {
			return TestJobHandlers.handler(POISON_ONCE, (payload, context) -> Runtime.getRuntime().halt(1));
		}

		@Bean
		JobHandler<Mark> markHandler(DataSource dataSource) {
			JdbcClient jdbc = JdbcClient.create(dataSource);
			return TestJobHandlers.handler(MARK,
					(payload, context) -> jdbc.sql("INSERT INTO test_started (job_id) VALUES (?)")
						.param(context.jobId().value())
						.update());
		}

		@Bean
		JobHandler<Poison> poisonHandler() {
			return TestJobHandlers.handler(POISON, (payload, context) -> {
				System.out
					.println("Poison job " + context.jobId() + " attempt " + context.attempt() + ": halting this JVM");
				System.out.flush();
				Runtime.getRuntime().halt(1);
			});
		}

	}

}
