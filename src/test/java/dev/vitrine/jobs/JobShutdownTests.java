package dev.vitrine.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.TestJobHandlers.Note;
import dev.vitrine.ops.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a worker's shutdown does with a handler that outlasts the grace period and ignores
 * its interrupt: the job is not handed back while that handler still runs. (One that
 * obeys the interrupt goes back at once: {@code WorkerProcessesIT}.)
 */
@ExtendWith(OutputCaptureExtension.class)
class JobShutdownTests {

	/** Runs until {@link #open}, whatever it is told: shutdown, interrupts. */
	static final JobType<Note> STUBBORN = JobType.of("test.stubborn", Note.class);

	static volatile CountDownLatch open = new CountDownLatch(1);

	static volatile CountDownLatch entered = new CountDownLatch(1);

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		open.countDown();
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void aJobWhoseHandlerIgnoresItsInterruptIsNotHandedBackWhileTheHandlerRuns(CapturedOutput output)
			throws InterruptedException {
		open = new CountDownLatch(1);
		entered = new CountDownLatch(1);
		String url = TestPostgres.newDatabase("job_shutdown");
		this.app = new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class, StubbornHandler.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false", "vitrine.jobs.threads=2",
					"vitrine.jobs.poll-interval=100ms", "vitrine.jobs.shutdown-grace=1s")
			.run();
		// a client of its own: it outlives the worker's context
		JdbcClient jdbc = JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null));
		long id = this.app.getBean(Jobs.class).enqueue(STUBBORN, new Note("stubborn")).value();
		assertThat(entered.await(30, TimeUnit.SECONDS)).as("handler started").isTrue();

		this.app.close();
		this.app = null;

		assertThat(jdbc.sql("SELECT state FROM job WHERE id = ?").param(id).query(String.class).single())
			.as("the job while its handler still runs")
			.isEqualTo("running");
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?").param(id).query(Integer.class).single())
			.as("attempts recorded")
			.isZero();
		assertThat(output.getAll()).contains("did not stop within 2000 ms of its interrupt: not handed back")
			.doesNotContain("released 1 unfinished jobs");
		// the worker's row stays: the unknown-type sweep reads when a
		// worker of a type was last seen
		assertThat(jdbc
			.sql("SELECT count(*) FROM job_worker WHERE 'test.stubborn' = ANY (types) AND stopped_at IS NOT NULL")
			.query(Integer.class)
			.single()).as("the worker's row, marked stopped").isOne();
		open.countDown();
		// the handler returns into a worker that has stopped: it writes nothing, and the
		// job waits for its lease to lapse
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> jdbc.sql("SELECT state FROM job WHERE id = ?").param(id).query(String.class).single(),
					"running"::equals);
	}

	static class StubbornHandler {

		@Bean
		JobHandler<Note> stubbornHandler() {
			return new JobHandler<>() {

				@Override
				public JobType<Note> type() {
					return STUBBORN;
				}

				@Override
				public void handle(Note note, JobContext context) {
					entered.countDown();
					boolean interrupted = false;
					while (open.getCount() > 0) {
						try {
							open.await();
						}
						catch (InterruptedException ex) {
							// ignored, as a handler blocked in I/O that cannot be
							// interrupted would
							interrupted = true;
						}
					}
					if (interrupted) {
						Thread.currentThread().interrupt();
					}
				}

			};
		}

	}

}
