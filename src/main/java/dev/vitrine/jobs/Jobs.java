package dev.vitrine.jobs;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Enqueues background jobs and lets operators act on them. Every enqueue is one statement
 * that joins the caller's transaction and never aborts it: when the transaction rolls
 * back, there is no job; when it commits, workers in every process are woken at once.
 */
public interface Jobs {

	/** Runs the job as soon as a worker is free. */
	<P> JobId enqueue(JobType<P> type, P payload);

	/** Runs the job at or after {@code runAt}. */
	<P> JobId enqueueAt(Instant runAt, JobType<P> type, P payload);

	/**
	 * Enqueues unless a job of this type with the same key is waiting for its first
	 * attempt; then returns that job's id and enqueues nothing. A job of that key that is
	 * running or waiting to be retried does not count: the new job is enqueued beside it,
	 * with the newer payload (what a render of changed content needs), and may run while
	 * the other still runs, so a handler whose results must not overlap checks, when it
	 * stores, that it still has the newest input (as the render jobs do); a worker that
	 * gives back such a job unstarted drops it for the new one. Two transactions that
	 * enqueue the same key at once both commit, with one job between them.
	 */
	<P> JobId enqueueUnique(JobType<P> type, P payload, String uniqueKey);

	/**
	 * {@link #enqueueUnique}, run at or after {@code runAt}: however often it is asked
	 * for, one job of that key waits for that time.
	 */
	<P> JobId enqueueUniqueAt(Instant runAt, JobType<P> type, P payload, String uniqueKey);

	/**
	 * Enqueues one job per payload in one statement, due now; returns their ids in the
	 * order of the payloads.
	 */
	<P> List<JobId> enqueueAll(JobType<P> type, List<P> payloads);

	/**
	 * Runs a failed, discarded or cancelled job again with its last payload, from attempt
	 * 1, under the same id.
	 * @throws IllegalStateException when the job is unknown, not finished, or succeeded
	 */
	void retry(JobId id);

	/**
	 * Runs every failed job again, of one type or, when {@code typeName} is empty, of
	 * every type; returns how many.
	 */
	int retryFailed(Optional<String> typeName);

	/**
	 * Cancels a job. A waiting one ends at once; a running one is told through
	 * {@link JobContext#isCancelled()} and an interrupt, and ends {@code cancelled} when
	 * its handler returns. Either way it is kept in the history as {@code cancelled}.
	 * @throws IllegalStateException when the job is unknown or already finished
	 */
	void cancel(JobId id);

	/**
	 * Stops workers from starting jobs of a queue or type; running ones finish.
	 * @throws IllegalArgumentException when no type or queue of that name is declared,
	 * has jobs, or (a type) is run by a worker: a typo would pause nothing
	 * @return whether this paused it; {@code false} when it was paused already
	 */
	boolean pause(Pausable target);

	/**
	 * Lets workers start jobs of a paused queue or type again.
	 * @return whether it was paused; {@code false} when there was nothing to resume
	 */
	boolean resume(Pausable target);

	/** What {@link #pause} and {@link #resume} act on. */
	record Pausable(Scope scope, String name) {

		/**
		 * Any name a pause may have been stored under, so that it can be resumed: an
		 * older release took names that {@link #pause} now refuses.
		 * @throws IllegalArgumentException when the name holds a NUL, which PostgreSQL
		 * cannot store
		 */
		public Pausable {
			Objects.requireNonNull(scope, "scope");
			Objects.requireNonNull(name, "name");
			if (name.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("a " + scope.label() + " name cannot hold a NUL character");
			}
		}

		public enum Scope {

			QUEUE, TYPE;

			/** As forms and the database name it: {@code queue} or {@code type}. */
			public String label() {
				return name().toLowerCase(Locale.ROOT);
			}

			/** The scope with this label, if any. */
			public static Optional<Scope> parse(String label) {
				return Arrays.stream(values()).filter((scope) -> scope.label().equals(label)).findFirst();
			}

		}

		public static Pausable queue(String name) {
			return new Pausable(Scope.QUEUE, name);
		}

		public static Pausable type(String name) {
			return new Pausable(Scope.TYPE, name);
		}

	}

}
