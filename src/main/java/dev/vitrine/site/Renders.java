package dev.vitrine.site;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;

import org.springframework.stereotype.Component;

/**
 * Re-rendering on demand, for the admin's buttons: the worker renders again even files
 * that are current (after a template or font change, say).
 */
@Component
public class Renders {

	private final RenderJobs jobs;

	private final ContentCatalog catalog;

	Renders(RenderJobs jobs, ContentCatalog catalog) {
		this.jobs = jobs;
		this.catalog = catalog;
	}

	/** The résumé, the home card and the card of every public entry. */
	public int rerenderAll() {
		this.jobs.resume(true);
		this.jobs.card(null, null, true);
		int count = 2;
		for (EntryKind kind : EntryKind.values()) {
			for (Entry entry : this.catalog.entries(kind)) {
				this.jobs.card(kind, entry.slug(), true);
				count++;
			}
		}
		return count;
	}

	/** One entry's card; nothing when the entry is not public. */
	public boolean rerender(EntryKind kind, String slug) {
		if (this.catalog.entry(kind, slug).isEmpty()) {
			return false;
		}
		this.jobs.card(kind, slug, true);
		return true;
	}

}
