package dev.vitrine.jobs;

import java.time.Duration;

import dev.vitrine.VitrineApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

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
		JobHandler<Poison> poisonHandler() {
			return new JobHandler<>() {

				@Override
				public JobType<Poison> type() {
					return POISON;
				}

				@Override
				public void handle(Poison payload, JobContext context) {
					System.out.println(
							"Poison job " + context.jobId() + " attempt " + context.attempt() + ": halting this JVM");
					System.out.flush();
					Runtime.getRuntime().halt(1);
				}

			};
		}

	}

}
