package dev.vitrine.content;

import java.time.Instant;
import java.util.Optional;

/**
 * Published inside the transaction that changed content: listeners that write to the
 * database (enqueue a job, delete a stale card) commit or roll back with the change.
 * Either one entry changed, or the profile (and résumé), which every page shows. The web
 * replicas' page caches do not depend on it: the database tells them of every write to
 * the content's tables (V21), whoever makes it.
 */
public sealed interface ContentChanged {

	static ContentChanged profile() {
		return new ProfileChanged();
	}

	/**
	 * An entry was created, changed or deleted.
	 *
	 * @param version the entry's version after the change (0 when deleted)
	 * @param publicNow whether the entry is visible to the public after the change
	 * @param publicFrom when a published entry dated in the future becomes visible
	 */
	record EntryChanged(EntryKind kind, String slug, int version, boolean publicNow,
			Optional<Instant> publicFrom) implements ContentChanged {

		/** A deleted entry, or one no longer visible. */
		static EntryChanged gone(EntryKind kind, String slug) {
			return new EntryChanged(kind, slug, 0, false, Optional.empty());
		}

	}

	/** The owner's profile or résumé changed. */
	record ProfileChanged() implements ContentChanged {
	}

}
