package dev.vitrine.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job is, as the monitor and the {@code jobs} command show it: waiting, running,
 * or finished. Each has a lower-case label, how operators type it and how the history
 * stores a finished attempt.
 */
public enum JobState {

	/** Due, waiting for a worker. */
	PENDING,

	/** Due later. */
	SCHEDULED,

	RUNNING,

	/** Failed; another attempt is scheduled. */
	RETRYING,

	SUCCEEDED,

	/** Failed its last attempt. */
	FAILED,

	/** Its handler said retrying cannot help. */
	DISCARDED,

	CANCELLED;

	/** The lower-case name, e.g. {@code pending}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean isFinished() {
		return this == SUCCEEDED || this == FAILED || this == DISCARDED || this == CANCELLED;
	}

	/** Whether an operator may run it again: it ended without success. */
	public boolean canRetry() {
		return isFinished() && this != SUCCEEDED;
	}

	/** Whether an operator may cancel it: it has not finished. */
	public boolean canCancel() {
		return !isFinished();
	}

	/** The state with this label, if any. */
	public static Optional<JobState> parse(String label) {
		return Arrays.stream(values()).filter((state) -> state.label().equals(label)).findFirst();
	}

	/** Every label, comma-separated, for a message listing what is valid. */
	public static String labels() {
		return Arrays.stream(values()).map(JobState::label).collect(Collectors.joining(", "));
	}

	/** A state as the database gives it (a label). */
	static JobState stored(String label) {
		return parse(label).orElseThrow(() -> new IllegalStateException("not a job state: " + label));
	}

	@Override
	public String toString() {
		return label();
	}

}
