package dev.vitrine.site;

import java.util.ArrayList;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The render jobs' handlers, in worker processes: HTML from the site's card and print
 * templates, rendered by Chromium, stored with the content version they show (which tells
 * every web replica to drop its cached pages, so their og:image and résumé links point at
 * the new files). A handler finding its file already current does nothing, so a retried
 * job renders once.
 */
final class RenderHandlers {

	private static final Logger log = LoggerFactory.getLogger(RenderHandlers.class);

	private RenderHandlers() {
	}

	static final class Card implements JobHandler<RenderJobs.RenderCard> {

		private final Renderer renderer;

		private final RenderedFiles files;

		private final ContentCatalog catalog;

		private final Templates templates;

		Card(Renderer renderer, RenderedFiles files, ContentCatalog catalog, Templates templates) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
			this.templates = templates;
		}

		@Override
		public JobType<RenderJobs.RenderCard> type() {
			return RenderJobs.CARD;
		}

		@Override
		public void handle(RenderJobs.RenderCard card, JobContext context) {
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
				version = RenderedFiles.profileVersion(profile.get());
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
				version = RenderedFiles.version(entry.get(), profile.get());
			}
			if (!card.force() && this.files.isCurrent(card.fileName(), version)) {
				return;
			}
			String html = this.templates.render("site/card",
					Map.of("title", title, "summary", summary, "label", label, "siteName", profile.get().name()));
			byte[] png = this.renderer.png(html, 1200, 630);
			this.files.store(card.fileName(), version, "image/png", png);
		}

	}

	static final class Resume implements JobHandler<RenderJobs.RenderResume> {

		private final Renderer renderer;

		private final RenderedFiles files;

		private final ContentCatalog catalog;

		private final Templates templates;

		private final InlineMedia media;

		Resume(Renderer renderer, RenderedFiles files, ContentCatalog catalog, Templates templates, InlineMedia media) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
			this.templates = templates;
			this.media = media;
		}

		@Override
		public JobType<RenderJobs.RenderResume> type() {
			return RenderJobs.RESUME;
		}

		@Override
		public void handle(RenderJobs.RenderResume payload, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			String version = RenderedFiles.profileVersion(profile.get());
			for (PaperSize paper : PaperSize.values()) {
				String name = RenderedFiles.resumeName(paper);
				if (!payload.force() && this.files.isCurrent(name, version)) {
					continue;
				}
				String html = this.media.apply(this.templates.render("site/resume-print",
						Map.of("profile", profile.get(), "paper", paper.name())), "Résumé");
				byte[] pdf = this.renderer.pdf(html, paper, profile.get().name() + " · Résumé", profile.get().name());
				this.files.store(name, version, "application/pdf", pdf);
			}
		}

	}

	/** Finds what is missing or stale and enqueues its render; runs nightly. */
	static final class Stale implements JobHandler<RenderJobs.RenderStale> {

		private final RenderJobs jobs;

		private final RenderedFiles files;

		private final ContentCatalog catalog;

		Stale(RenderJobs jobs, RenderedFiles files, ContentCatalog catalog) {
			this.jobs = jobs;
			this.files = files;
			this.catalog = catalog;
		}

		@Override
		public JobType<RenderJobs.RenderStale> type() {
			return RenderJobs.STALE;
		}

		@Override
		public void handle(RenderJobs.RenderStale payload, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			RenderJobs jobs = this.jobs;
			int enqueued = 0;
			List<String> cards = new ArrayList<>();
			String profileVersion = RenderedFiles.profileVersion(profile.get());
			if (!this.files.isCurrent(RenderedFiles.resumeName(PaperSize.A4), profileVersion)
					|| !this.files.isCurrent(RenderedFiles.resumeName(PaperSize.LETTER), profileVersion)) {
				jobs.resume();
				enqueued++;
			}
			if (!this.files.isCurrent(RenderedFiles.HOME_CARD, profileVersion)) {
				jobs.card(null, null);
				enqueued++;
			}
			for (EntryKind kind : EntryKind.values()) {
				for (Entry entry : this.catalog.entries(kind)) {
					cards.add(RenderedFiles.cardName(kind, entry.slug()));
					if (!this.files.isCurrent(RenderedFiles.cardName(kind, entry.slug()),
							RenderedFiles.version(entry, profile.get()))) {
						jobs.card(kind, entry.slug());
						enqueued++;
					}
				}
			}
			int deleted = this.files.deleteEntryCardsExcept(cards);
			log.info("Rendering: {} stale or missing file(s) enqueued for rendering, {} card(s) of entries no longer"
					+ " public deleted", enqueued, deleted);
		}

	}

}
