package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * its interrupt: the job is not handed back, nor left to its lease, while that handler
 * still runs. (One that obeys the interrupt goes back at once:
 * {@code WorkerProcessesIT}.)
 */
@ExtendWith(OutputCaptureExtension.class)
class JobShutdownTests {

	/** Runs until {@link #open}, whatever it is told: shutdown, interrupts. */
	static final JobType<Note> STUBBORN = JobType.of("test.stubborn", Note.class);

	static volatile CountDownLatch open = new CountDownLatch(1);

	static volatile CountDownLatch entered = new CountDownLatch(1);

	/** How many times a handler began the job, in any context. */
	static final AtomicInteger runs = new AtomicInteger();

	private ConfigurableApplicationContext app;

	private ConfigurableApplicationContext other;

	@AfterEach
	void stop() {
		open.countDown();
		if (this.app != null) {
			this.app.close();
		}
		if (this.other != null) {
			this.other.close();
		}
	}

	@Test
	void aJobWhoseHandlerIgnoresItsInterruptIsNotHandedBackWhileTheHandlerRuns(CapturedOutput output)
			throws InterruptedException {
		String url = TestPostgres.newDatabase("job_shutdown");
		long id = startStubbornJob(url);
		JdbcClient jdbc = client(url);

		this.app.close();
		this.app = null;

		assertRunningWithNoAttemptRecorded(jdbc, id);
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

	@Test
	void aProcessThatLivesOnAfterItsWorkerStoppedKeepsTheStuckJobFromOtherWorkersUntilTheHandlerReturns()
			throws InterruptedException {
		String url = TestPostgres.newDatabase("job_shutdown_lease");
		long id = startStubbornJob(url);
		JdbcClient jdbc = client(url);
		// a second worker that knows the type, and reaps every lease that lapses
		this.other = worker(url);

		// the worker stops, as at SIGTERM, but its process goes on (an all-roles one
		// finishing its web requests)
		this.app.getBean(JobWorker.class).stop();

		// three leases of one second: without renewals the other worker would have reaped
		// the job and run it beside the stuck handler
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(runs::get, (count) -> count == 1);
		assertRunningWithNoAttemptRecorded(jdbc, id);

		open.countDown();
		// handed back as its handler returns: the other worker runs it, the attempt given
		// back
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.sql("SELECT outcome FROM job_run WHERE job_id = ? ORDER BY id")
				.param(id)
				.query(String.class)
				.list(), (outcomes) -> outcomes.equals(List.of("snoozed", "succeeded")));
		assertThat(runs.get()).as("handler runs").isEqualTo(2);
	}

	/**
	 * Starts a worker on this database and a stubborn job on it; returns the job's id.
	 */
	private long startStubbornJob(String url) throws InterruptedException {
		open = new CountDownLatch(1);
		entered = new CountDownLatch(1);
		runs.set(0);
		this.app = worker(url);
		long id = this.app.getBean(Jobs.class).enqueue(STUBBORN, new Note("stubborn")).value();
		assertThat(entered.await(30, TimeUnit.SECONDS)).as("handler started").isTrue();
		return id;
	}

	private static void assertRunningWithNoAttemptRecorded(JdbcClient jdbc, long id) {
		assertThat(jdbc.sql("SELECT state FROM job WHERE id = ?").param(id).query(String.class).single())
			.as("the job while its handler still runs")
			.isEqualTo("running");
		assertThat(jdbc.sql("SELECT count(*) FROM job_run WHERE job_id = ?").param(id).query(Integer.class).single())
			.as("attempts recorded while the handler runs")
			.isZero();
	}

	/** A client of its own: it outlives the workers' contexts. */
	private static JdbcClient client(String url) {
		return JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null));
	}

	private static ConfigurableApplicationContext worker(String url) {
		return new SpringApplicationBuilder(VitrineApplication.class, TestJobHandlers.class, StubbornHandler.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false", "vitrine.jobs.threads=2",
					"vitrine.jobs.poll-interval=100ms", "vitrine.jobs.shutdown-grace=1s",
					"vitrine.jobs.heartbeat-interval=250ms")
			.run();
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
					runs.incrementAndGet();
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
