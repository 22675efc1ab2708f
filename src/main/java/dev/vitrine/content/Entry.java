package dev.vitrine.content;

import java.time.Instant;
import java.util.List;

/**
 * A project or an article as stored.
 *
 * @param bodyHtml the sanitized HTML rendered from {@code bodyMarkdown} when it was saved
 * @param published whether the owner has published it; it is public from
 * {@code publishedAt} on
 * @param version incremented on every save, so derived files (cards) can tell they are
 * stale
 */
public record Entry(long id, EntryKind kind, String slug, String title, String summary, String bodyMarkdown,
		String bodyHtml, List<String> tags, String linkUrl, boolean featured, boolean published, Instant publishedAt,
		boolean demo, int version, Instant updatedAt) {

	public Entry {
		tags = List.copyOf(tags);
	}

	/**
	 * When readers last saw it change: its last save, or its going live when that came
	 * later (an article scheduled for later was saved before it appeared).
	 */
	public Instant revisedAt() {
		return (this.publishedAt != null && this.publishedAt.isAfter(this.updatedAt)) ? this.publishedAt
				: this.updatedAt;
	}

	public boolean isPublicAt(Instant now) {
		return visibilityAt(now) instanceof Visibility.Public;
	}

	public Visibility visibilityAt(Instant now) {
		if (!this.published || this.publishedAt == null) {
			return new Visibility.Draft();
		}
		return this.publishedAt.isAfter(now) ? new Visibility.Scheduled(this.publishedAt) : new Visibility.Public();
	}

	/** The public path of its page, e.g. {@code /articles/hello-world}. */
	public String path() {
		return this.kind.path(this.slug);
	}

}
