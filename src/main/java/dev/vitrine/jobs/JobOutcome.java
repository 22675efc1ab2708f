package dev.vitrine.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * Ends an attempt with an outcome other than success or failure: throw one from
 * {@link JobHandler#handle}.
 * <ul>
 * <li>{@link #snooze(Duration)}: run the job again after the delay, without using an
 * attempt (the thing it waits for is not ready yet);</li>
 * <li>{@link #discard(String)}: end the job now, recorded as {@code discarded} with the
 * reason, without the retries a failure would get (retrying cannot help).</li>
 * </ul>
 */
public abstract sealed class JobOutcome extends RuntimeException permits JobOutcome.Snooze, JobOutcome.Discard {

	/** The longest snooze: a job meant for later than that belongs in a schedule. */
	static final Duration MAX_SNOOZE = Duration.ofDays(365);

	private JobOutcome(String message) {
		super(message, null, false, false);
	}

	/** Runs the job again after {@code delay}; the attempt it used is given back. */
	public static Snooze snooze(Duration delay) {
		return new Snooze(delay);
	}

	/** Ends the job now as {@code discarded}, with the reason in its history. */
	public static Discard discard(String reason) {
		return new Discard(reason);
	}

	public static final class Snooze extends JobOutcome {

		private final Duration delay;

		Snooze(Duration delay) {
			super("snoozed for " + Objects.requireNonNull(delay, "delay").toMillis() + " ms");
			if (delay.isNegative() || delay.compareTo(MAX_SNOOZE) > 0) {
				throw new IllegalArgumentException("a snooze must be between 0 and 365 days: " + delay);
			}
			this.delay = delay;
		}

		public Duration delay() {
			return this.delay;
		}

	}

	public static final class Discard extends JobOutcome {

		Discard(String reason) {
			super(Objects.requireNonNull(reason, "reason"));
		}

	}

}
