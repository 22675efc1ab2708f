package dev.vitrine.documents;

import java.util.Map;
import java.util.Optional;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Profile;
import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobType;
import dev.vitrine.rendering.PaperSize;
import dev.vitrine.rendering.Renderer;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The render jobs' handlers, in worker processes: HTML from the site's card and print
 * templates, rendered by Chromium, stored with the content version they show (which tells
 * every web replica to drop its cached pages, so their og:image and résumé links point at
 * the new files). A handler finding its file already current does nothing, so a retried
 * job renders once.
 */
final class DocumentHandlers {

	private static final Logger log = LoggerFactory.getLogger(DocumentHandlers.class);

	private DocumentHandlers() {
	}

	private static String render(TemplateEngine engine, String name, Map<String, Object> params) {
		StringOutput output = new StringOutput();
		engine.render(name + ".jte", params, output);
		return output.toString();
	}

	static final class Card implements JobHandler<DocumentJobs.RenderCard> {

		private final Renderer renderer;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		private final TemplateEngine templates;

		Card(Renderer renderer, DocumentFiles files, ContentCatalog catalog, TemplateEngine templates) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
			this.templates = templates;
		}

		@Override
		public JobType<DocumentJobs.RenderCard> type() {
			return DocumentJobs.CARD;
		}

		@Override
		public void handle(DocumentJobs.RenderCard card, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			String title;
			String summary;
			String label;
			String version;
			if (card.isHome()) {
				title = profile.get().name();
				summary = profile.get().headline();
				label = "Portfolio";
				version = DocumentFiles.profileVersion(profile.get());
			}
			else {
				EntryKind kind = EntryKind.fromSection(card.section());
				Optional<Entry> entry = this.catalog.entry(kind, card.slug());
				if (entry.isEmpty()) {
					log.info("Card for {}/{}: not public (any more); nothing to render", card.section(), card.slug());
					return;
				}
				title = entry.get().title();
				summary = entry.get().summary();
				label = (kind == EntryKind.ARTICLE) ? "Article" : "Project";
				version = DocumentFiles.version(entry.get(), profile.get());
			}
			if (!card.force() && this.files.isCurrent(card.fileName(), version)) {
				return;
			}
			String html = render(this.templates, "documents/card",
					Map.of("title", title, "summary", summary, "label", label, "siteName", profile.get().name()));
			byte[] png = this.renderer.png(html, 1200, 630);
			this.files.store(card.fileName(), version, "image/png", png);
		}

	}

	static final class Resume implements JobHandler<DocumentJobs.RenderResume> {

		private final Renderer renderer;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		private final TemplateEngine templates;

		private final InlineMedia media;

		Resume(Renderer renderer, DocumentFiles files, ContentCatalog catalog, TemplateEngine templates, InlineMedia media) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
			this.templates = templates;
			this.media = media;
		}

		@Override
		public JobType<DocumentJobs.RenderResume> type() {
			return DocumentJobs.RESUME;
		}

		@Override
		public void handle(DocumentJobs.RenderResume payload, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			String version = DocumentFiles.profileVersion(profile.get());
			for (PaperSize paper : PaperSize.values()) {
				String name = DocumentFiles.resumeName(paper);
				if (!payload.force() && this.files.isCurrent(name, version)) {
					continue;
				}
				String html = this.media.apply(render(this.templates, "documents/resume-print",
						Map.of("profile", profile.get(), "paper", paper.name())), "Résumé");
				byte[] pdf = this.renderer.pdf(html, paper, profile.get().name() + " · Résumé", profile.get().name());
				this.files.store(name, version, "application/pdf", pdf);
			}
		}

	}

	/** Finds what is missing or stale and enqueues its render; runs nightly. */
	static final class Stale implements JobHandler<DocumentJobs.RenderStale> {

		private final DocumentJobs jobs;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		Stale(DocumentJobs jobs, DocumentFiles files, ContentCatalog catalog) {
			this.jobs = jobs;
			this.files = files;
			this.catalog = catalog;
		}

		@Override
		public JobType<DocumentJobs.RenderStale> type() {
			return DocumentJobs.STALE;
		}

		@Override
		public void handle(DocumentJobs.RenderStale payload, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			DocumentJobs jobs = this.jobs;
			int enqueued = 0;
			String profileVersion = DocumentFiles.profileVersion(profile.get());
			if (!this.files.isCurrent(DocumentFiles.resumeName(PaperSize.A4), profileVersion)
					|| !this.files.isCurrent(DocumentFiles.resumeName(PaperSize.LETTER), profileVersion)) {
				jobs.resume();
				enqueued++;
			}
			if (!this.files.isCurrent(DocumentFiles.HOME_CARD, profileVersion)) {
				jobs.card(null, null);
				enqueued++;
			}
			for (EntryKind kind : EntryKind.values()) {
				for (Entry entry : this.catalog.entries(kind)) {
					if (!this.files.isCurrent(DocumentFiles.cardName(kind, entry.slug()),
							DocumentFiles.version(entry, profile.get()))) {
						jobs.card(kind, entry.slug());
						enqueued++;
					}
				}
			}
			log.info("Rendering: {} stale or missing file(s) enqueued for rendering", enqueued);
		}

	}

}
