package dev.vitrine.jobs;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claims one worker holds, each an attempt running or waiting for a runner thread: by
 * job id, counted by type for the types' concurrency limits, and how many attempts
 * finished, for the rate the fetcher claims ahead at. Shared by the worker's threads.
 */
final class HeldClaims {

	private final Map<Long, JobAttempt> byId = new ConcurrentHashMap<>();

	// one counter per type, made up front: the map itself never changes
	private final Map<String, AtomicInteger> byType = new HashMap<>();

	private final AtomicLong finished = new AtomicLong();

	HeldClaims(Collection<String> types) {
		types.forEach((type) -> this.byType.put(type, new AtomicInteger()));
	}

	/**
	 * Holds a new claim.
	 * @return the attempt of the same job this worker held until now, or null: its lease
	 * lapsed while this worker still held it, and the reaper gave the job back
	 */
	JobAttempt hold(JobAttempt attempt) {
		this.byType.get(attempt.claimed().type()).incrementAndGet();
		JobAttempt previous = this.byId.put(attempt.claimed().id(), attempt);
		if (previous != null) {
			this.byType.get(previous.claimed().type()).decrementAndGet();
		}
		return previous;
	}

	/**
	 * Lets go of this attempt's claim.
	 * @return false if it was let go already (or replaced by a newer attempt)
	 */
	boolean drop(JobAttempt attempt) {
		if (this.byId.remove(attempt.claimed().id(), attempt)) {
			this.byType.get(attempt.claimed().type()).decrementAndGet();
			return true;
		}
		return false;
	}

	JobAttempt get(long id) {
		return this.byId.get(id);
	}

	/** Every attempt held: a live view. */
	Collection<JobAttempt> all() {
		return this.byId.values();
	}

	int size() {
		return this.byId.size();
	}

	boolean isEmpty() {
		return this.byId.isEmpty();
	}

	/** How many attempts of this type the worker holds. */
	int ofType(String type) {
		return this.byType.get(type).get();
	}

	void countFinished() {
		this.finished.incrementAndGet();
	}

	/** How many attempts finished with an outcome since the worker was made. */
	long finished() {
		return this.finished.get();
	}

}
