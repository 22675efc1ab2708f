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

	public boolean isPublicAt(Instant now) {
		return this.published && this.publishedAt != null && !this.publishedAt.isAfter(now);
	}

	/** The public path of its page, e.g. {@code /articles/hello-world}. */
	public String path() {
		return "/" + this.kind.section() + "/" + this.slug;
	}

}
