package dev.vitrine.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of background job: its name (stored with each job, so keep it stable), its
 * payload record, and how it runs. Declare one as a constant, give it a
 * {@link JobHandler} in the processes that run it, and declare it as a bean (or through a
 * {@link ScheduleDefinition}) in every process, so that a web, scheduler or command-line
 * process can enqueue it by name.
 *
 * @param name stable identifier, e.g. {@code mail.contact-message}
 * @param payloadType the payload record, stored as JSON
 * @param queue a label grouping related types in the monitor and metrics, and pausable as
 * a whole
 * @param priority smaller runs first among due jobs (0 by default)
 * @param maxAttempts attempts before the job ends {@code failed}; an attempt counts when
 * a worker claims the job, so one that kills its worker counts too
 * @param initialBackoff the wait before the second attempt; it doubles with each attempt
 * @param maxBackoff the longest wait between attempts
 * @param timeout how long an attempt may run before it is interrupted and counts as
 * failed
 * @param concurrency how many jobs of this type one worker process runs at once
 * @param <P> the payload type
 */
public record JobType<P>(String name, Class<P> payloadType, String queue, int priority, int maxAttempts,
		Duration initialBackoff, Duration maxBackoff, Duration timeout, int concurrency) {

	/** What {@link #isValidName} accepts, in words. */
	public static final String NAME_RULE = "1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit";

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

	public JobType {
		Objects.requireNonNull(payloadType, "payloadType");
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("job type name must match " + NAME + ": " + name);
		}
		if (queue == null || !NAME.matcher(queue).matches()) {
			throw new IllegalArgumentException("queue name must match " + NAME + ": " + queue);
		}
		if (maxAttempts < 1 || concurrency < 1) {
			throw new IllegalArgumentException("maxAttempts and concurrency must be at least 1");
		}
		if (priority < Short.MIN_VALUE || priority > Short.MAX_VALUE) {
			throw new IllegalArgumentException("priority must fit a smallint: " + priority);
		}
		if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || !timeout.isPositive()) {
			throw new IllegalArgumentException("backoff and timeout must be positive, maxBackoff >= initialBackoff");
		}
	}

	/**
	 * Whether a job type or a queue may have this name: every stored job's type and queue
	 * do, so a filter or a pause by any other name can only find nothing.
	 */
	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches();
	}

	/**
	 * A type with defaults: queue {@code default}, priority 0, 5 attempts, backoff from
	 * 10 s up to 1 h, timeout 5 min, 8 at once per worker.
	 */
	public static <P> JobType<P> of(String name, Class<P> payloadType) {
		return new JobType<>(name, payloadType, "default", 0, 5, Duration.ofSeconds(10), Duration.ofHours(1),
				Duration.ofMinutes(5), 8);
	}

	public JobType<P> queue(String queue) {
		return new JobType<>(this.name, this.payloadType, queue, this.priority, this.maxAttempts, this.initialBackoff,
				this.maxBackoff, this.timeout, this.concurrency);
	}

	public JobType<P> priority(int priority) {
		return new JobType<>(this.name, this.payloadType, this.queue, priority, this.maxAttempts, this.initialBackoff,
				this.maxBackoff, this.timeout, this.concurrency);
	}

	public JobType<P> maxAttempts(int maxAttempts) {
		return new JobType<>(this.name, this.payloadType, this.queue, this.priority, maxAttempts, this.initialBackoff,
				this.maxBackoff, this.timeout, this.concurrency);
	}

	public JobType<P> backoff(Duration initial, Duration max) {
		return new JobType<>(this.name, this.payloadType, this.queue, this.priority, this.maxAttempts, initial, max,
				this.timeout, this.concurrency);
	}

	public JobType<P> timeout(Duration timeout) {
		return new JobType<>(this.name, this.payloadType, this.queue, this.priority, this.maxAttempts,
				this.initialBackoff, this.maxBackoff, timeout, this.concurrency);
	}

	public JobType<P> concurrency(int concurrency) {
		return new JobType<>(this.name, this.payloadType, this.queue, this.priority, this.maxAttempts,
				this.initialBackoff, this.maxBackoff, this.timeout, concurrency);
	}

	/**
	 * The wait before attempt {@code attempt + 1}: doubling from the initial backoff,
	 * capped, then jittered to between half and all of it so that failing jobs do not
	 * retry in lockstep.
	 */
	Duration backoffAfter(int attempt, double random) {
		long initial = this.initialBackoff.toMillis();
		long doubled = initial << Math.min(Math.max(attempt, 1) - 1, 30);
		long capped = (doubled < initial) ? this.maxBackoff.toMillis() : Math.min(doubled, this.maxBackoff.toMillis());
		return Duration.ofMillis(capped / 2 + (long) (random * (capped - capped / 2)));
	}

}
