package dev.vitrine.site;

import java.time.Duration;
import java.time.ZoneId;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.ContentChanged;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the rendered files in step with the content: each change enqueues the renders it
 * makes stale, inside the transaction that made the change (so a rolled-back edit renders
 * nothing). Renders of the same file are deduplicated while one is waiting.
 */
@Component
class RenderJobs {

	/** Rendering is CPU-bound: one per core per worker, the browser's useful limit. */
	private static final int CONCURRENCY = Runtime.getRuntime().availableProcessors();

	static final JobType<RenderCard> CARD = JobType.of("site.render-card", RenderCard.class)
		.queue("rendering")
		.maxAttempts(10)
		.backoff(Duration.ofSeconds(15), Duration.ofHours(1))
		.timeout(Duration.ofMinutes(2))
		.concurrency(CONCURRENCY);

	static final JobType<RenderResume> RESUME = JobType.of("site.render-resume", RenderResume.class)
		.queue("rendering")
		.maxAttempts(10)
		.backoff(Duration.ofSeconds(15), Duration.ofHours(1))
		.timeout(Duration.ofMinutes(2))
		.concurrency(CONCURRENCY);

	static final JobType<RenderStale> STALE = JobType.of("site.render-stale", RenderStale.class)
		.queue("rendering")
		.maxAttempts(3)
		.concurrency(1);

	/** Nightly, in case a render failed for good or files were lost. */
	static final ScheduleDefinition<RenderStale> NIGHTLY = new ScheduleDefinition<>(STALE.name(), STALE,
			new RenderStale(), Schedule.cron("0 41 2 * * *", ZoneId.of("UTC")), ScheduleDefinition.Misfire.RUN_ONCE,
			Duration.ofHours(23));

	private final Jobs jobs;

	private final ContentCatalog catalog;

	RenderJobs(Jobs jobs, ContentCatalog catalog) {
		this.jobs = jobs;
		this.catalog = catalog;
	}

	@EventListener
	void on(ContentChanged change) {
		if (change instanceof ContentChanged.EntryChanged entry) {
			if (entry.publicNow()) {
				card(entry.kind(), entry.slug());
			}
			return;
		}
		// the owner's name and headline are on the résumé, the home card and every card
		resume();
		card(null, null);
		for (EntryKind kind : EntryKind.values()) {
			for (Entry entry : this.catalog.entries(kind)) {
				card(kind, entry.slug());
			}
		}
	}

	void card(EntryKind kind, String slug) {
		card(kind, slug, false);
	}

	void card(EntryKind kind, String slug, boolean force) {
		RenderCard card = (kind != null) ? new RenderCard(kind.section(), slug, force) : RenderCard.home(force);
		this.jobs.enqueueUnique(CARD, card, card.fileName());
	}

	void resume() {
		resume(false);
	}

	void resume(boolean force) {
		this.jobs.enqueueUnique(RESUME, new RenderResume(force), "resume");
	}

	/**
	 * Render one social card.
	 *
	 * @param section {@code projects}, {@code articles}, or {@code home} for the home
	 * page
	 * @param slug the entry's slug; empty for the home page
	 * @param force render even when the stored card is current (the admin's re-render)
	 */
	record RenderCard(String section, String slug, boolean force) {

		static RenderCard home(boolean force) {
			return new RenderCard("home", "", force);
		}

		boolean isHome() {
			return "home".equals(this.section);
		}

		String fileName() {
			return isHome() ? RenderedFiles.HOME_CARD
					: RenderedFiles.cardName(EntryKind.fromSection(this.section), this.slug);
		}

	}

	/**
	 * Render the résumé as PDF on A4 and on Letter.
	 *
	 * @param force render even when the stored PDFs are current
	 */
	record RenderResume(boolean force) {
	}

	/** Enqueue renders for every file that is missing or stale. */
	record RenderStale() {
	}

}
