package dev.vitrine.jobs;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's own threads: daemons that log why they died, and interruptible waits. */
final class EngineThreads {

	private static final Logger log = LoggerFactory.getLogger(EngineThreads.class);

	private EngineThreads() {
	}

	static Thread daemon(String name, Runnable task) {
		return Thread.ofPlatform()
			.daemon()
			.name(name)
			.uncaughtExceptionHandler((thread, ex) -> log.error("{} stopped", name, ex))
			.start(task);
	}

	/**
	 * Sleeps, unless interrupted.
	 * @return false if interrupted, with the thread's interrupt status set again
	 */
	static boolean sleep(Duration duration) {
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static void join(Thread thread, Duration timeout) {
		try {
			thread.join(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
