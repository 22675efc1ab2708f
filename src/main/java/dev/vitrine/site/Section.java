package dev.vitrine.site;

import dev.vitrine.content.EntryKind;

/**
 * Where a public page is in the site's navigation, for the link that marks it current.
 */
public enum Section {

	HOME, PROJECTS, ARTICLES, TAGS, RESUME, CONTACT;

	/** The section of an entry's pages. */
	static Section of(EntryKind kind) {
		return switch (kind) {
			case PROJECT -> PROJECTS;
			case ARTICLE -> ARTICLES;
		};
	}

}
