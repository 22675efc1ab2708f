package dev.vitrine.documents;

import java.time.Duration;
import java.time.ZoneId;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.ContentChanged;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Visibility;
import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.rendering.Renderer;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the rendered files in step with the content: each change enqueues the renders it
 * makes stale, inside the transaction that made the change (so a rolled-back edit renders
 * nothing). Documents of the same file are deduplicated while one is waiting.
 */
@Component
class DocumentJobs {

	/** Rendering is CPU-bound: one per core per worker, the browser's useful limit. */
	private static final int CONCURRENCY = Runtime.getRuntime().availableProcessors();

	// the names predate this module:
	// queued jobs, the schedule, metrics and alerts use them

	static final JobType<RenderCard> CARD = JobType.of("site.render-card", RenderCard.class)
		.queue("rendering")
		.maxAttempts(10)
		.backoff(Duration.ofSeconds(15), Duration.ofHours(1))
		.timeout(Renderer.JOB_TIMEOUT)
		.concurrency(CONCURRENCY);

	static final JobType<RenderResume> RESUME = JobType.of("site.render-resume", RenderResume.class)
		.queue("rendering")
		.maxAttempts(10)
		.backoff(Duration.ofSeconds(15), Duration.ofHours(1))
		.timeout(Renderer.JOB_TIMEOUT)
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

	DocumentJobs(Jobs jobs, ContentCatalog catalog) {
		this.jobs = jobs;
		this.catalog = catalog;
	}

	@EventListener
	void on(ContentChanged change) {
		if (change instanceof ContentChanged.EntryGone) {
			return;
		}
		if (change instanceof ContentChanged.EntryChanged entry) {
			Card card = new Card.OfEntry(entry.kind(), entry.slug());
			switch (entry.visibility()) {
				case Visibility.Public visible -> card(card);
				// ready when the entry goes live, when its link gets shared (a social
				// site
				// keeps the picture it first saw), not at the next night's renders. One
				// job
				// per go-live time however often the entry is saved; a key of its own, so
				// a render wanted now is not taken for this one.
				case Visibility.Scheduled scheduled -> this.jobs.enqueueUniqueAt(scheduled.at(), CARD,
						RenderCard.of(card, false), card.name() + "@" + scheduled.at());
				case Visibility.Draft draft -> {
				}
			}
			return;
		}
		// the owner's name and headline are on the résumé, the home card and every card
		resume();
		card(new Card.Home());
		for (EntryKind kind : EntryKind.values()) {
			for (Entry entry : this.catalog.entries(kind)) {
				card(Card.of(entry));
			}
		}
	}

	void card(Card card) {
		card(card, false);
	}

	/**
	 * @param force render even when the stored card is current: a key of its own, so a
	 * waiting render that would skip a current card does not take its place (a unique
	 * enqueue keeps the waiting job's payload), while repeated clicks still make one job
	 */
	void card(Card card, boolean force) {
		this.jobs.enqueueUnique(CARD, RenderCard.of(card, force), force ? "forced:" + card.name() : card.name());
	}

	void resume() {
		resume(false);
	}

	/**
	 * @param force as for {@link #card(Card, boolean)}
	 */
	void resume(boolean force) {
		this.jobs.enqueueUnique(RESUME, new RenderResume(force), force ? "forced:resume" : "resume");
	}

	/**
	 * Render one social card. The payload is stored as JSON with the job, so its fields
	 * stay as they were: a {@link Card} written out.
	 *
	 * @param section {@code projects}, {@code articles}, or {@code home} for the home
	 * page
	 * @param slug the entry's slug; empty for the home page
	 * @param force render even when the stored card is current (the admin's re-render)
	 */
	record RenderCard(String section, String slug, boolean force) {

		private static final String HOME = "home";

		static RenderCard of(Card card, boolean force) {
			return switch (card) {
				case Card.Home _ -> new RenderCard(HOME, "", force);
				case Card.OfEntry entry -> new RenderCard(entry.kind().section(), entry.slug(), force);
			};
		}

		Card card() {
			return HOME.equals(this.section) ? new Card.Home()
					: new Card.OfEntry(EntryKind.fromSection(this.section), this.slug);
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
