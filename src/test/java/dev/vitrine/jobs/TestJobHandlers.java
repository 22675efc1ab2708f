package dev.vitrine.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Handlers whose behaviour the job tests control and observe. */
@TestConfiguration(proxyBeanMethods = false)
class TestJobHandlers {

	record Note(String text) {
	}

	static final JobType<Note> RECORD = JobType.of("test.record", Note.class);

	static final JobType<Note> FAILING = JobType.of("test.failing", Note.class)
		.maxAttempts(3)
		.backoff(Duration.ofMillis(200), Duration.ofMillis(400));

	static final JobType<Note> SLOW = JobType.of("test.slow", Note.class)
		.maxAttempts(1)
		.timeout(Duration.ofMillis(300));

	static final JobType<Note> LIMITED = JobType.of("test.limited", Note.class).concurrency(2);

	static final Queue<String> recorded = new ConcurrentLinkedQueue<>();

	static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

	static final AtomicInteger slowInterrupted = new AtomicInteger();

	static final AtomicInteger limitedRunning = new AtomicInteger();

	static final AtomicInteger limitedMaxRunning = new AtomicInteger();

	@Bean
	JobHandler<Note> recordingHandler() {
		return handler(RECORD, (note) -> recorded.add(note.text()));
	}

	/**
	 * Fails as often as {@link #failuresLeft} says for the note's text (always if
	 * absent).
	 */
	@Bean
	JobHandler<Note> failingHandler() {
		return handler(FAILING, (note) -> {
			AtomicInteger left = failuresLeft.get(note.text());
			if (left == null || left.getAndDecrement() > 0) {
				throw new IllegalStateException("failing on purpose: " + note.text());
			}
			recorded.add(note.text());
		});
	}

	@Bean
	JobHandler<Note> slowHandler() {
		return handler(SLOW, (note) -> {
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				slowInterrupted.incrementAndGet();
				throw ex;
			}
		});
	}

	@Bean
	JobHandler<Note> limitedHandler() {
		return handler(LIMITED, (note) -> {
			int running = limitedRunning.incrementAndGet();
			limitedMaxRunning.accumulateAndGet(running, Math::max);
			try {
				Thread.sleep(150);
			}
			finally {
				limitedRunning.decrementAndGet();
			}
			recorded.add(note.text());
		});
	}

	private static JobHandler<Note> handler(JobType<Note> type, Work work) {
		return new JobHandler<>() {

			@Override
			public JobType<Note> type() {
				return type;
			}

			@Override
			public void handle(Note payload, JobContext context) throws Exception {
				work.run(payload);
			}

		};
	}

	interface Work {

		void run(Note note) throws Exception;

	}

}
