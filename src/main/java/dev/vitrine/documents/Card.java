package dev.vitrine.documents;

import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;

/**
 * A social card: the picture link previews show (Open Graph {@code og:image}), 1200 by
 * 630 pixels. The home page has one, showing the owner; each public project and article
 * has its own.
 */
sealed interface Card {

	/** Where the card is stored and served, under {@code /}. */
	String name();

	static Card of(Entry entry) {
		return new OfEntry(entry.kind(), entry.slug());
	}

	/** The home page's card: the owner's name and headline. */
	record Home() implements Card {

		@Override
		public String name() {
			return "cards/home.png";
		}

	}

	/** A public project's or article's card: its title and summary. */
	record OfEntry(EntryKind kind, String slug) implements Card {

		@Override
		public String name() {
			return "cards/" + this.kind.section() + "/" + this.slug + ".png";
		}

	}

}
