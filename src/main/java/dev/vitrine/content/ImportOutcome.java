package dev.vitrine.content;

import java.util.Locale;

/** What importing one file did. */
enum ImportOutcome {

	CREATED, CHANGED, UNCHANGED;

	/** As the import's progress lines show it. */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}
