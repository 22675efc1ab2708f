package dev.vitrine.content;

import java.time.Instant;
import java.util.List;

/**
 * What an editor submits for a project or article. {@link ContentEditor} validates it.
 * Build one with {@link #builder()}: most of its fields are text.
 *
 * @param slug may be blank: then it is made from the title
 * @param publishedAt may be {@code null}: a date the entry has that has passed is kept,
 * else publishing dates it now (a future one is dropped)
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

	public static Builder builder() {
		return new Builder();
	}

	/** The same change under another slug. */
	EntryChange withSlug(String slug) {
		return new EntryChange(this.title, slug, this.summary, this.bodyMarkdown, this.tags, this.linkUrl,
				this.featured, this.published, this.publishedAt);
	}

	/** Tags from a comma-separated list, as typed in a form. */
	public static List<String> parseTags(String commaSeparated) {
		return (commaSeparated != null) ? List.of(commaSeparated.toLowerCase(java.util.Locale.ROOT).split(","))
				: List.of();
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : "";
	}

	/** Names each field; what is not set is empty, false or null. */
	public static final class Builder {

		private String title = "";

		private String slug = "";

		private String summary = "";

		private String bodyMarkdown = "";

		private List<String> tags = List.of();

		private String linkUrl = "";

		private boolean featured;

		private boolean published;

		private Instant publishedAt;

		private Builder() {
		}

		public Builder title(String title) {
			this.title = title;
			return this;
		}

		/** Blank: made from the title. */
		public Builder slug(String slug) {
			this.slug = slug;
			return this;
		}

		public Builder summary(String summary) {
			this.summary = summary;
			return this;
		}

		public Builder body(String markdown) {
			this.bodyMarkdown = markdown;
			return this;
		}

		public Builder tags(List<String> tags) {
			this.tags = tags;
			return this;
		}

		public Builder tags(String... tags) {
			return tags(List.of(tags));
		}

		public Builder link(String url) {
			this.linkUrl = url;
			return this;
		}

		public Builder featured(boolean featured) {
			this.featured = featured;
			return this;
		}

		public Builder published(boolean published) {
			this.published = published;
			return this;
		}

		/** Null: a past date the entry has is kept, else publishing dates it now. */
		public Builder publishedAt(Instant publishedAt) {
			this.publishedAt = publishedAt;
			return this;
		}

		public EntryChange build() {
			return new EntryChange(this.title, this.slug, this.summary, this.bodyMarkdown, this.tags, this.linkUrl,
					this.featured, this.published, this.publishedAt);
		}

	}

}
