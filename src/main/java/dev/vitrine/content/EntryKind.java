package dev.vitrine.content;

import java.util.Locale;

/** Projects and articles: the same fields, listed on different pages. */
public enum EntryKind {

	PROJECT("projects"), ARTICLE("articles");

	private final String section;

	EntryKind(String section) {
		this.section = section;
	}

	/** The URL path segment of the kind's pages, e.g. {@code articles}. */
	public String section() {
		return this.section;
	}

	/**
	 * The public path of the kind's page of this slug, e.g.
	 * {@code /articles/hello-world}.
	 */
	public String path(String slug) {
		return "/" + this.section + "/" + slug;
	}

	/** What the kind is called in a sentence: {@code project} or {@code article}. */
	public String noun() {
		return name().toLowerCase(Locale.ROOT);
	}

	String dbValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	static EntryKind fromDb(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

	public static EntryKind fromSection(String section) {
		for (EntryKind kind : values()) {
			if (kind.section.equals(section)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("no content section " + section);
	}

}
