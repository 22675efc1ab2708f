package dev.vitrine.content;

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
	 * An entry was created or changed.
	 *
	 * @param visibility whether the public sees it after the change
	 */
	record EntryChanged(EntryKind kind, String slug, Visibility visibility) implements ContentChanged {
	}

	/** An entry's page is gone from this address: deleted, or its slug changed. */
	record EntryGone(EntryKind kind, String slug) implements ContentChanged {
	}

	/** The owner's profile or résumé changed. */
	record ProfileChanged() implements ContentChanged {
	}

}
