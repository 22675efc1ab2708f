package dev.vitrine.documents;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.ContentChanged;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Visibility;
import dev.vitrine.content.Profile;
import dev.vitrine.ops.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The résumé PDFs and social cards the worker renders, in PostgreSQL. Each is stored with
 * the version of the content it shows; {@link #isCurrent} says whether a file was made
 * from the content as it is now.
 */
@Component
class DocumentFiles {

	private static final Logger log = LoggerFactory.getLogger(DocumentFiles.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final ContentCatalog catalog;

	DocumentFiles(JdbcClient jdbc, TransactionTemplate transaction, ContentCatalog catalog) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.catalog = catalog;
	}

	/** The stored file, current or not: the last good one. */
	Optional<RenderedFile> find(String name) {
		return this.jdbc
			.sql("SELECT name, source_version, content_type, bytes, sha256 FROM rendered_file WHERE name = ?")
			.param(name)
			.query((rs, row) -> new RenderedFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
					rs.getString(5)))
			.optional();
	}

	/** The version the stored file was made from, without its bytes. */
	Optional<String> storedVersion(String name) {
		return this.jdbc.sql("SELECT source_version FROM rendered_file WHERE name = ?")
			.param(name)
			.query(String.class)
			.optional();
	}

	/** The file when it shows the content as it is now. */
	boolean isCurrent(String name, String sourceVersion) {
		return storedVersion(name).map(sourceVersion::equals).orElse(false);
	}

	/**
	 * The SHA-256 of the stored file's bytes, when it shows the content as it is now.
	 */
	Optional<String> currentSha256(String name, String sourceVersion) {
		return this.jdbc.sql("SELECT sha256 FROM rendered_file WHERE name = ? AND source_version = ?")
			.params(name, sourceVersion)
			.query(String.class)
			.optional();
	}

	/**
	 * Stores a render unless what it shows changed while it rendered: a render begun
	 * before an edit may end after the edit's own render, and would put the older content
	 * back. The rows it was made from stay locked ({@code FOR SHARE}) while their version
	 * is read again, so an edit commits either before (this render is dropped: the edit's
	 * render stores) or after (and is rendered again).
	 * @param entry the entry a card shows, or null for what shows the profile alone
	 * @param currentVersion the version of what it shows now, empty if no longer public
	 * @return whether it was stored
	 */
	boolean storeIfCurrent(String name, String sourceVersion, String contentType, byte[] bytes, Card.OfEntry entry,
			Supplier<Optional<String>> currentVersion) {
		return Boolean.TRUE.equals(this.transaction.execute((status) -> {
			this.catalog.holdProfileAgainstEdits();
			if (entry != null) {
				this.catalog.holdEntryAgainstEdits(entry.kind(), entry.slug());
			}
			if (currentVersion.get().filter(sourceVersion::equals).isEmpty()) {
				log.info("{}: its content changed while it rendered; not stored (the change renders it again)", name);
				return false;
			}
			store(name, sourceVersion, contentType, bytes);
			return true;
		}));
	}

	/**
	 * Stores a rendered file. The write itself tells the web replicas (V21): their cached
	 * pages link the previous file (or the site default) until then.
	 */
	private void store(String name, String sourceVersion, String contentType, byte[] bytes) {
		this.jdbc.sql("""
				INSERT INTO rendered_file (name, source_version, content_type, bytes, sha256, rendered_at)
				VALUES (?, ?, ?, ?, ?, now())
				ON CONFLICT (name) DO UPDATE SET source_version = excluded.source_version,
				    content_type = excluded.content_type, bytes = excluded.bytes, sha256 = excluded.sha256,
				    rendered_at = now()""").params(name, sourceVersion, contentType, bytes, Sha256.hex(bytes)).update();
	}

	/**
	 * An entry that stops being public (unpublished, deleted, renamed) loses its card, in
	 * the same transaction; any other change leaves it to the render job.
	 */
	@EventListener
	void on(ContentChanged change) {
		switch (change) {
			case ContentChanged.EntryGone gone -> deleteCard(gone.kind(), gone.slug());
			case ContentChanged.EntryChanged changed when !(changed.visibility() instanceof Visibility.Public) ->
				deleteCard(changed.kind(), changed.slug());
			default -> {
			}
		}
	}

	private void deleteCard(EntryKind kind, String slug) {
		this.jdbc.sql("DELETE FROM rendered_file WHERE name = ?").param(new Card.OfEntry(kind, slug).name()).update();
	}

	/**
	 * Deletes the entries' cards but these (of the public entries), e.g. one stored by a
	 * render that finished after its entry was unpublished.
	 * @return how many were deleted
	 */
	int deleteEntryCardsExcept(Collection<String> keep) {
		return this.jdbc.sql("DELETE FROM rendered_file WHERE name LIKE 'cards/%/%' AND NOT (name = ANY (?))")
			.param(keep.toArray(String[]::new))
			.update();
	}

	static String resumeName(dev.vitrine.rendering.PaperSize paper) {
		return "resume-" + paper.name().toLowerCase(java.util.Locale.ROOT) + ".pdf";
	}

	/** What a card or the résumé shows, as a version: it changes whenever they would. */
	static String version(Entry entry, Profile profile) {
		return entry.version() + "/" + profileVersion(profile);
	}

	static String profileVersion(Profile profile) {
		return String.valueOf(profile.updatedAt().toEpochMilli());
	}

	record RenderedFile(String name, String sourceVersion, String contentType, byte[] bytes, String sha256) {
	}

}
