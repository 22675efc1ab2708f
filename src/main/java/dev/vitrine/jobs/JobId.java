package dev.vitrine.jobs;

/**
 * Identifies one job across its attempts: the number the engine gave it when it was
 * enqueued, and its type for display.
 *
 * @param type the job type's name
 * @param value the job's number, unique across all types
 */
public record JobId(String type, long value) {

	@Override
	public String toString() {
		return this.type + "#" + this.value;
	}

}
