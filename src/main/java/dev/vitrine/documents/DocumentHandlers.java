package dev.vitrine.documents;

import java.util.ArrayList;
import java.util.List;
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
 * The render jobs' handlers, in worker processes: HTML from the card and print templates
 * ({@code src/main/jte/documents}), rendered by Chromium, stored with the content version
 * they show (which tells every web replica to drop its cached pages, so their og:image
 * and résumé links point at the new files). A handler finding its file already current
 * does nothing, so a retried job renders once.
 */
final class DocumentHandlers {

	private static final Logger log = LoggerFactory.getLogger(DocumentHandlers.class);

	private DocumentHandlers() {
	}

	static final class CardHandler implements JobHandler<DocumentJobs.RenderCard> {

		private final Renderer renderer;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		CardHandler(Renderer renderer, DocumentFiles files, ContentCatalog catalog) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
		}

		@Override
		public JobType<DocumentJobs.RenderCard> type() {
			return DocumentJobs.CARD;
		}

		@Override
		public void handle(DocumentJobs.RenderCard payload, JobContext context) {
			Optional<Profile> profile = this.catalog.profile();
			if (profile.isEmpty()) {
				return;
			}
			Profile owner = profile.get();
			Card card = payload.card();
			Optional<CardFace> face = face(card, owner);
			if (face.isEmpty()) {
				log.info("{}: not public (any more); nothing to render", card.name());
				return;
			}
			if (!payload.force() && this.files.isCurrent(card.name(), face.get().version())) {
				return;
			}
			String html = DocumentTemplates.card(face.get().title(), face.get().summary(), face.get().label(),
					owner.name());
			byte[] png = this.renderer.png(html, 1200, 630);
			this.files.storeIfCurrent(card.name(), face.get().version(), "image/png", png,
					(card instanceof Card.OfEntry of) ? of : null,
					() -> this.catalog.profile().flatMap((now) -> face(card, now)).map(CardFace::version));
		}

		/** What the card shows now, if it is public. */
		private Optional<CardFace> face(Card card, Profile owner) {
			return switch (card) {
				case Card.Home _ -> Optional
					.of(new CardFace(owner.name(), owner.headline(), "Portfolio", DocumentFiles.profileVersion(owner)));
				case Card.OfEntry of -> this.catalog.entry(of.kind(), of.slug())
					.map((entry) -> new CardFace(entry.title(), entry.summary(),
							(of.kind() == EntryKind.ARTICLE) ? "Article" : "Project",
							DocumentFiles.version(entry, owner)));
			};
		}

		/** What a card shows, and the content version that is. */
		private record CardFace(String title, String summary, String label, String version) {
		}

	}

	static final class ResumeHandler implements JobHandler<DocumentJobs.RenderResume> {

		private final Renderer renderer;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		private final InlineMedia media;

		ResumeHandler(Renderer renderer, DocumentFiles files, ContentCatalog catalog, InlineMedia media) {
			this.renderer = renderer;
			this.files = files;
			this.catalog = catalog;
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
			String html = null;
			for (PaperSize paper : PaperSize.values()) {
				String name = DocumentFiles.resumeName(paper);
				if (!payload.force() && this.files.isCurrent(name, version)) {
					continue;
				}
				if (html == null) {
					// the same page on either paper: the PDF's page size is the
					// renderer's
					html = this.media.apply(DocumentTemplates.resumePrint(profile.get()), "Résumé");
				}
				byte[] pdf = this.renderer.pdf(html, paper, profile.get().name() + " · Résumé", profile.get().name());
				if (!this.files.storeIfCurrent(name, version, "application/pdf", pdf, null,
						() -> this.catalog.profile().map(DocumentFiles::profileVersion))) {
					return;
				}
			}
		}

	}

	/** Finds what is missing or stale and enqueues its render; runs nightly. */
	static final class StaleHandler implements JobHandler<DocumentJobs.RenderStale> {

		private final DocumentJobs jobs;

		private final DocumentFiles files;

		private final ContentCatalog catalog;

		StaleHandler(DocumentJobs jobs, DocumentFiles files, ContentCatalog catalog) {
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
			Card home = new Card.Home();
			if (!this.files.isCurrent(home.name(), profileVersion)) {
				jobs.card(home);
				enqueued++;
			}
			List<String> cards = new ArrayList<>();
			for (EntryKind kind : EntryKind.values()) {
				for (Entry entry : this.catalog.entries(kind)) {
					Card card = Card.of(entry);
					cards.add(card.name());
					if (!this.files.isCurrent(card.name(), DocumentFiles.version(entry, profile.get()))) {
						jobs.card(card);
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
