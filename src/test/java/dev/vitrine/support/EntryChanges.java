package dev.vitrine.support;

import dev.vitrine.content.EntryChange;

/** Test entries: a published one to start from, each test setting what it is about. */
public final class EntryChanges {

	private EntryChanges() {
	}

	/** Published now, with a one-word body, no summary, tags or link. */
	public static EntryChange.Builder anEntry(String title) {
		return EntryChange.builder().title(title).body("Body").published(true);
	}

}
