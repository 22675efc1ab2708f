package dev.vitrine.documents;

import java.util.Optional;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Profile;
import dev.vitrine.rendering.PaperSize;

import org.springframework.stereotype.Component;

/**
 * The rendered documents as other modules see them: whether the résumé PDFs exist and
 * which social card a page links (for the public pages), and re-rendering on demand (the
 * admin's buttons: the worker renders again even files that are current, after a template
 * or font change, say).
 */
@Component
public class Documents {

	private final DocumentJobs jobs;

	private final ContentCatalog catalog;

	private final DocumentFiles files;

	Documents(DocumentJobs jobs, ContentCatalog catalog, DocumentFiles files) {
		this.jobs = jobs;
		this.catalog = catalog;
		this.files = files;
	}

	/** Whether a worker has rendered the résumé PDF on this paper (current or not). */
	public boolean hasResume(PaperSize paper) {
		return this.files.storedVersion(DocumentFiles.resumeName(paper)).isPresent();
	}

	/**
	 * The home card's path, e.g. {@code /cards/home.png?v=…}, when it shows the profile
	 * as it is now; a stale card is never shown as current.
	 */
	public Optional<String> homeCard(Profile profile) {
		return current(new Card.Home(), DocumentFiles.profileVersion(profile));
	}

	/** An entry's card's path when it shows the entry and profile as they are now. */
	public Optional<String> card(Entry entry, Profile profile) {
		return current(Card.of(entry), DocumentFiles.version(entry, profile));
	}

	/**
	 * Versioned by the card's own bytes, so social sites fetch a new card whenever it
	 * changes: a version of its content would come again for an entry deleted and made
	 * anew at the same address, whose versions start again at 1.
	 */
	private Optional<String> current(Card card, String version) {
		return this.files.currentSha256(card.name(), version)
			.map((sha256) -> "/" + card.name() + "?v=" + sha256.substring(0, 12));
	}

	/** The résumé, the home card and the card of every public entry. */
	public int rerenderAll() {
		this.jobs.resume(true);
		this.jobs.card(new Card.Home(), true);
		int count = 2;
		for (EntryKind kind : EntryKind.values()) {
			for (Entry entry : this.catalog.entries(kind)) {
				this.jobs.card(Card.of(entry), true);
				count++;
			}
		}
		return count;
	}

	/** One entry's card; nothing when the entry is not public. */
	public boolean rerender(EntryKind kind, String slug) {
		Optional<Entry> entry = this.catalog.entry(kind, slug);
		entry.ifPresent((found) -> this.jobs.card(Card.of(found), true));
		return entry.isPresent();
	}

}
