package dev.vitrine.content;

/**
 * Published inside the transaction that changed content: listeners that write to the
 * database (enqueue a job, notify other processes) commit or roll back with the change.
 *
 * @param kind the changed entry's kind, or {@code null} when the profile or résumé
 * changed
 * @param slug the changed entry's slug, or {@code null} for the profile
 * @param version the entry's version after the change (0 when deleted)
 * @param publicNow whether the changed item is visible to the public after the change
 */
public record ContentChanged(EntryKind kind, String slug, int version, boolean publicNow) {

	public static ContentChanged profile() {
		return new ContentChanged(null, null, 0, true);
	}

}
