package dev.vitrine.jobs;

/**
 * Identifies one job across its attempts.
 *
 * @param type the job type's name
 * @param key unique within the type: a random UUID, or the deduplication key
 */
public record JobId(String type, String key) {

	@Override
	public String toString() {
		return this.type + "/" + this.key;
	}

}
