package dev.vitrine.jobs;

import java.util.Arrays;
import java.util.Locale;

/** How one attempt of a job ended, as the history keeps it. */
public enum AttemptOutcome {

	SUCCEEDED,

	/** It threw: retried while attempts are left. */
	FAILED,

	/** Its handler asked to run it again later, without using an attempt. */
	SNOOZED,

	/** Its handler said retrying cannot help. */
	DISCARDED,

	CANCELLED;

	/** The lower-case name, as the history stores it: {@code succeeded}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** An outcome as the database gives it (a label). */
	static AttemptOutcome stored(String label) {
		return Arrays.stream(values())
			.filter((outcome) -> outcome.label().equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("not an attempt's outcome: " + label));
	}

}
