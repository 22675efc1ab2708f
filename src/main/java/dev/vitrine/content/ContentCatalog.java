package dev.vitrine.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the public may see: published entries whose publish date has come, and the
 * profile. Drafts never leave this class.
 */
@Component
public class ContentCatalog {

	private final JdbcClient jdbc;

	ContentCatalog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Profile> profile() {
		return this.jdbc.sql("SELECT * FROM profile WHERE id = 1").query(EntryRows.PROFILE).optional();
	}

	/**
	 * Holds off edits of the profile until the caller's transaction ends ({@code FOR
	 * SHARE}): what it reads meanwhile stays the content as it is.
	 */
	public void holdProfileAgainstEdits() {
		this.jdbc.sql("SELECT 1 FROM profile WHERE id = 1 FOR SHARE").query(Integer.class).list();
	}

	/** As {@link #holdProfileAgainstEdits()}, for an entry. */
	public void holdEntryAgainstEdits(EntryKind kind, String slug) {
		this.jdbc.sql("SELECT 1 FROM entry WHERE kind = ? AND slug = ? FOR SHARE")
			.params(kind.dbValue(), slug)
			.query(Integer.class)
			.list();
	}

	/**
	 * Where a public entry is now whose address this was before its slug changed.
	 * @return the entry's path, e.g. {@code /articles/new-slug}; empty when no public
	 * entry had this address
	 */
	public Optional<String> movedTo(EntryKind kind, String slug) {
		return this.jdbc
			.sql("SELECT slug FROM entry WHERE id = (SELECT entry_id FROM entry_moved WHERE kind = ? AND slug = ?) AND "
					+ EntryRows.PUBLIC)
			.params(kind.dbValue(), slug)
			.query(String.class)
			.optional()
			.map(kind::path);
	}

	public Optional<Entry> entry(EntryKind kind, String slug) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? AND slug = ? AND " + EntryRows.PUBLIC)
			.params(kind.dbValue(), slug)
			.query(EntryRows.ENTRY)
			.optional();
	}

	/** Newest first (featured first for projects). */
	public List<Entry> entries(EntryKind kind) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? AND " + EntryRows.PUBLIC
					+ " ORDER BY featured DESC, published_at DESC, id DESC")
			.param(kind.dbValue())
			.query(EntryRows.ENTRY)
			.list();
	}

	public List<Entry> latest(EntryKind kind, int limit) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? AND " + EntryRows.PUBLIC
					+ " ORDER BY published_at DESC, id DESC LIMIT ?")
			.params(kind.dbValue(), limit)
			.query(EntryRows.ENTRY)
			.list();
	}

	public List<Entry> featuredProjects(int limit) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = 'project' AND featured AND "
					+ EntryRows.PUBLIC + " ORDER BY published_at DESC, id DESC LIMIT ?")
			.param(limit)
			.query(EntryRows.ENTRY)
			.list();
	}

	/**
	 * One page of a kind's entries, newest first.
	 * @param page 1-based
	 */
	public EntryPage page(EntryKind kind, int page, int size) {
		long total = this.jdbc.sql("SELECT count(*) FROM entry WHERE kind = ? AND " + EntryRows.PUBLIC)
			.param(kind.dbValue())
			.query(Long.class)
			.single();
		int pages = (int) Math.max(1, (total + size - 1) / size);
		List<Entry> entries = this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? AND " + EntryRows.PUBLIC
					+ " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?")
			.params(kind.dbValue(), size, (long) (page - 1) * size)
			.query(EntryRows.ENTRY)
			.list();
		return new EntryPage(entries, page, pages);
	}

	public List<Entry> tagged(String tag) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE ? = ANY (tags) AND " + EntryRows.PUBLIC
					+ " ORDER BY published_at DESC, id DESC")
			.param(tag)
			.query(EntryRows.ENTRY)
			.list();
	}

	/** Every tag on a public entry, with how many public entries carry it. */
	public List<TagCount> tags() {
		return this.jdbc
			.sql("SELECT tag, count(*) AS n FROM entry, unnest(tags) AS tag WHERE " + EntryRows.PUBLIC
					+ " GROUP BY tag ORDER BY tag")
			.query((rs, row) -> new TagCount(rs.getString("tag"), rs.getInt("n")))
			.list();
	}

	/**
	 * When something public last changed: the last write to the content (recorded by a
	 * trigger, so an unpublished or deleted entry moves it forward, never back), or a
	 * future-dated entry that has become public since.
	 */
	public Instant lastModified() {
		return lastChange().at();
	}

	/** {@link #lastModified()}, and when the database read it, by its clock. */
	public LastChange lastChange() {
		return this.jdbc
			.sql("SELECT greatest((SELECT max(changed_at) FROM content_change), (SELECT max(published_at)"
					+ " FROM entry WHERE " + EntryRows.PUBLIC + "), to_timestamp(0)), statement_timestamp()")
			.query((rs, row) -> new LastChange(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
			.single();
	}

	/**
	 * When public content last changed, as of a moment of the database's clock.
	 *
	 * @param at the last change: a write's commit, or a future-dated entry going public
	 * @param readAt when the database read it: no later than the statement's snapshot
	 */
	public record LastChange(Instant at, Instant readAt) {
	}

	/**
	 * The next time a published entry dated in the future becomes public, so caches know
	 * when the public site changes without anyone saving anything.
	 */
	public Optional<Instant> nextScheduledPublication() {
		return this.jdbc.sql(
				"SELECT published_at FROM entry WHERE published AND published_at > now() ORDER BY published_at LIMIT 1")
			.query((rs, row) -> rs.getTimestamp(1).toInstant())
			.optional();
	}

	public boolean hasDemoContent() {
		return this.jdbc
			.sql("SELECT EXISTS (SELECT 1 FROM entry WHERE demo) OR EXISTS (SELECT 1 FROM profile WHERE demo)")
			.query(Boolean.class)
			.single();
	}

	/**
	 * @param page 1-based
	 * @param pages at least 1
	 */
	public record EntryPage(List<Entry> entries, int page, int pages) {

		public EntryPage {
			entries = List.copyOf(entries);
		}

	}

	public record TagCount(String tag, int count) {
	}

}
