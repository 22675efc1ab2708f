package dev.vitrine.content;

import java.time.Instant;
import java.util.List;

/**
 * What an editor submits for a project or article. {@link ContentEditor} validates it.
 *
 * @param slug may be blank: then it is made from the title
 * @param publishedAt may be {@code null}: publishing then dates it now
 */
public record EntryChange(String title, String slug, String summary, String bodyMarkdown, List<String> tags,
		String linkUrl, boolean featured, boolean published, Instant publishedAt) {

	// the limits ContentEditor enforces, and the editor's maxlength attributes show

	public static final int MAX_TITLE = 200;

	public static final int MAX_SLUG = Slugs.MAX_LENGTH;

	public static final int MAX_SUMMARY = 500;

	public static final int MAX_MARKDOWN = 200_000;

	public static final int MAX_TAGS = 12;

	public static final int MAX_TAG = 40;

	public static final int MAX_LINK_URL = 500;

	public EntryChange {
		title = strip(title);
		slug = strip(slug);
		summary = strip(summary);
		bodyMarkdown = (bodyMarkdown != null) ? bodyMarkdown.replace("\r\n", "\n") : "";
		tags = (tags != null) ? tags.stream().map(String::strip).filter((tag) -> !tag.isEmpty()).distinct().toList()
				: List.of();
		linkUrl = strip(linkUrl);
	}

	/** Tags from a comma-separated list, as typed in a form. */
	public static List<String> parseTags(String commaSeparated) {
		return (commaSeparated != null) ? List.of(commaSeparated.toLowerCase(java.util.Locale.ROOT).split(","))
				: List.of();
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : "";
	}

}
