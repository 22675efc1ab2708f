package dev.vitrine.jobs;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes in batches: whatever finished while the last batch was being written
 * goes in the next, so under load one statement carries hundreds of outcomes, and an idle
 * worker writes each at once.
 */
final class Completer {

	private static final Logger log = LoggerFactory.getLogger(Completer.class);

	private static final int MAX_BATCH = 1000;

	private final JobTable table;

	private final Runnable afterWrite;

	private final LinkedBlockingQueue<JobTable.Finished> queue = new LinkedBlockingQueue<>();

	/** The claims of the outcomes not written yet, id to version. */
	private final Map<Long, Long> unwritten = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	private Thread thread;

	Completer(JobTable table, Runnable afterWrite) {
		this.table = table;
		this.afterWrite = afterWrite;
	}

	void start() {
		this.stopping = false;
		this.thread = EngineThreads.daemon("jobs-completer", this::run);
	}

	void add(JobTable.Finished finished) {
		this.unwritten.put(finished.id(), finished.version());
		this.queue.add(finished);
	}

	Map<Long, Long> unwritten() {
		return this.unwritten;
	}

	/** Writes what is queued, then stops. */
	void stop() {
		this.stopping = true;
		this.thread.interrupt();
		EngineThreads.join(this.thread, Duration.ofSeconds(10));
		List<JobTable.Finished> rest = new ArrayList<>();
		this.queue.drainTo(rest);
		if (!rest.isEmpty()) {
			try {
				write(rest);
			}
			catch (RuntimeException ex) {
				log.warn("Could not record {} job outcomes at shutdown ({}); those jobs run again", rest.size(),
						ex.getMessage());
			}
		}
	}

	private void run() {
		List<JobTable.Finished> batch = new ArrayList<>();
		int failures = 0;
		while (!this.stopping) {
			try {
				if (batch.isEmpty()) {
					batch.add(this.queue.take());
				}
				this.queue.drainTo(batch, MAX_BATCH - batch.size());
				write(batch);
				batch.clear();
				failures = 0;
				this.afterWrite.run();
			}
			catch (InterruptedException ex) {
				this.queue.addAll(batch);
				return;
			}
			catch (RuntimeException ex) {
				// kept and written again: the version fence stops a stale write
				log.warn("Could not record {} job outcomes ({}); trying again", batch.size(), ex.getMessage());
				if (!EngineThreads.sleep(Duration.ofMillis(500))) {
					this.queue.addAll(batch);
					return;
				}
				if (++failures >= 3) {
					writeOneByOne(batch);
					batch.clear();
					failures = 0;
				}
			}
		}
		this.queue.addAll(batch);
	}

	/**
	 * Writes a batch of outcomes. One the database leaves out belongs to a claim this
	 * worker no longer holds: the reaper took the job back while this worker stalled (and
	 * another may have run it), or it was deleted. Said in the log, as the keeper says it
	 * of a job still running when it finds the lease gone.
	 */
	private void write(List<JobTable.Finished> batch) {
		Set<Long> written = new HashSet<>(this.table.complete(batch));
		for (JobTable.Finished finished : batch) {
			if (!written.contains(finished.id())) {
				log.warn("Job {} lost its lease (this worker stalled past it, or the job was deleted): "
						+ "its outcome ({}) was not recorded", finished.id(), finished.outcome().label());
			}
			this.unwritten.remove(finished.id(), finished.version());
		}
	}

	/**
	 * After a batch failed three times: writes its outcomes one at a time, so that one
	 * the database refuses cannot hold back every other. One still refused is given up
	 * (it leaves the held claims): its job runs again when its lease expires.
	 */
	private void writeOneByOne(List<JobTable.Finished> batch) {
		for (JobTable.Finished finished : batch) {
			try {
				write(List.of(finished));
			}
			catch (RuntimeException ex) {
				if (lockTimeout(ex)) {
					// another transaction holds the job's row: not a bad outcome, and
					// the version fence makes a later write safe
					log.warn("Job {}'s row is locked by another transaction; its outcome waits", finished.id());
					this.queue.add(finished);
					continue;
				}
				log.error("Could not record the outcome of job {} ({}): it runs again when its lease expires",
						finished.id(), ex.getMessage());
				this.unwritten.remove(finished.id(), finished.version());
			}
		}
	}

	private static boolean lockTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
