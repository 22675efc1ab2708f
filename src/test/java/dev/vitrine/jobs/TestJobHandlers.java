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

	static final JobType<Note> SNOOZING = JobType.of("test.snoozing", Note.class)
		.maxAttempts(2)
		.backoff(Duration.ofMillis(100), Duration.ofMillis(200));

	static final JobType<Note> DISCARDING = JobType.of("test.discarding", Note.class);

	static final JobType<Note> CANCELLABLE = JobType.of("test.cancellable", Note.class);

	static final JobType<Note> STUCK = JobType.of("test.stuck", Note.class)
		.maxAttempts(1)
		.timeout(Duration.ofMillis(300));

	static final JobType<Note> UNSPEAKABLE = JobType.of("test.unspeakable", Note.class).maxAttempts(1);

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

	/**
	 * Snoozes twice, then fails once, then records: with 2 attempts, the failure is
	 * retried only if the snoozes gave their attempts back.
	 */
	@Bean
	JobHandler<Note> snoozingHandler() {
		Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
		return handler(SNOOZING, (note) -> {
			int run = seen.computeIfAbsent(note.text(), (text) -> new AtomicInteger()).incrementAndGet();
			if (run <= 2) {
				throw JobOutcome.snooze(Duration.ofMillis(100));
			}
			if (run == 3) {
				throw new IllegalStateException("failing once after the snoozes");
			}
			recorded.add(note.text());
		});
	}

	@Bean
	JobHandler<Note> discardingHandler() {
		return handler(DISCARDING, (note) -> {
			throw JobOutcome.discard("nothing to do for " + note.text());
		});
	}

	/** Runs until cancelled (or 20 s), and records what it saw. */
	@Bean
	JobHandler<Note> cancellableHandler() {
		return new JobHandler<>() {

			@Override
			public JobType<Note> type() {
				return CANCELLABLE;
			}

			@Override
			public void handle(Note note, JobContext context) {
				recorded.add(note.text() + " started");
				try {
					Thread.sleep(20_000);
				}
				catch (InterruptedException ex) {
					recorded.add(note.text() + (context.isCancelled() ? " saw its cancellation" : " interrupted"));
				}
			}

		};
	}

	/** Throws an exception that cannot even say what it is. */
	@Bean
	JobHandler<Note> unspeakableHandler() {
		return handler(UNSPEAKABLE, (note) -> {
			throw new IllegalStateException() {

				@Override
				public String getMessage() {
					throw new UnsupportedOperationException("no message");
				}

			};
		});
	}

	/** Ignores interrupts for 5 s, far past its 300 ms timeout. */
	@Bean
	JobHandler<Note> stuckHandler() {
		return handler(STUCK, (note) -> {
			long until = System.nanoTime() + 5_000_000_000L;
			while (System.nanoTime() < until) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ignored) {
					// what a handler blocked in non-interruptible I/O does
				}
			}
			recorded.add(note.text());
		});
	}

	private static JobHandler<Note> handler(JobType<Note> type, Work work) {
		return handler(type, (Note payload, JobContext context) -> work.run(payload));
	}

	/** A handler of {@code type} that does {@code work}: for handlers tests declare. */
	static <P> JobHandler<P> handler(JobType<P> type, ContextWork<P> work) {
		return new JobHandler<>() {

			@Override
			public JobType<P> type() {
				return type;
			}

			@Override
			public void handle(P payload, JobContext context) throws Exception {
				work.run(payload, context);
			}

		};
	}

	interface ContextWork<P> {

		void run(P payload, JobContext context) throws Exception;

	}

	interface Work {

		void run(Note note) throws Exception;

	}

}
