package dev.vitrine.content;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.vitrine.ops.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A small demo portfolio for a brand-new database, so a new user sees a real site at
 * once. Every piece is marked as demo: the site says so, and the admin removes it in one
 * click. Seeded only when there is no profile yet, in one transaction, so of several
 * processes starting together exactly one seeds. {@code VITRINE_CONTENT_DEMO=false} turns
 * it off.
 */
@Component
class DemoContent implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoContent.class);

	private final JdbcClient jdbc;

	private final Markdown markdown;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	private final Schema schema;

	// read when it runs, not as a condition: start-up code generated at build time fixes
	// which beans exist (ops.AotStartupEnvironmentPostProcessor)
	private final boolean enabled;

	DemoContent(JdbcClient jdbc, Markdown markdown, TransactionTemplate transaction, ApplicationEventPublisher events,
			Schema schema, @Value("${vitrine.content.demo:true}") boolean enabled) {
		this.schema = schema;
		this.enabled = enabled;
		this.jdbc = jdbc;
		this.markdown = markdown;
		this.transaction = transaction;
		this.events = events;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.enabled) {
			// a web process on an external database may wait for the worker to migrate
			this.schema.whenCurrent("seeding the demo portfolio", this::seed);
		}
	}

	private void seed() {
		Boolean seeded = this.transaction.execute((status) -> seedIfEmpty());
		if (Boolean.TRUE.equals(seeded)) {
			log.info("Content: seeded a demo portfolio, marked as demo (remove it from the admin at /admin)");
		}
	}

	private boolean seedIfEmpty() {
		boolean empty = this.jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM entry)").query(Boolean.class).single();
		if (!empty) {
			return false;
		}
		// the primary key makes a second process wait here, then insert nothing
		int inserted = this.jdbc.sql("""
				INSERT INTO profile (id, name, headline, location, email, links, bio_markdown, bio_html,
				                     resume_markdown, resume_html, demo)
				VALUES (1, :name, :headline, :location, '', :links, :bio, :bioHtml, :resume, :resumeHtml, true)
				ON CONFLICT (id) DO NOTHING""")
			.param("name", "Ada Example")
			.param("headline", "Backend engineer who likes boring, fast systems")
			.param("location", "Lisbon, Portugal")
			.param("links", "Source code https://example.com/ada\nWriting https://example.com/ada/blog")
			.param("bio", BIO)
			.param("bioHtml", this.markdown.toSafeHtml(BIO))
			.param("resume", RESUME)
			.param("resumeHtml", this.markdown.toSafeHtml(RESUME))
			.update();
		if (inserted == 0) {
			return false;
		}
		Instant now = Instant.now();
		for (int i = 0; i < PROJECTS.size(); i++) {
			insert(EntryKind.PROJECT, PROJECTS.get(i), now.minus(Duration.ofDays(30L * (i + 1))), i < 2);
		}
		for (int i = 0; i < ARTICLES.size(); i++) {
			insert(EntryKind.ARTICLE, ARTICLES.get(i), now.minus(Duration.ofDays(9L * i + 1)), false);
		}
		// a new profile changes everything: listeners enqueue what depends on it
		this.events.publishEvent(ContentChanged.profile());
		return true;
	}

	private void insert(EntryKind kind, DemoEntry entry, Instant publishedAt, boolean featured) {
		this.jdbc.sql("""
				INSERT INTO entry (kind, slug, title, summary, body_markdown, body_html, tags, link_url, featured,
				                   published, published_at, demo)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, true)""")
			.params(kind.dbValue(), entry.slug(), entry.title(), entry.summary(), entry.body(),
					this.markdown.toSafeHtml(entry.body()), entry.tags().toArray(String[]::new), entry.link(), featured,
					EntryRows.timestamp(publishedAt))
			.update();
	}

	private record DemoEntry(String slug, String title, String summary, List<String> tags, String link, String body) {
	}

	private static final String DEMO_NOTE = "\n\n*This is demo content that Vitrine seeded on first start.*\n";

	private static final String BIO = """
			I build backends that stay up: queues, databases, and the tooling around them. Lately I have been \
			replacing stacks of five services with one well-understood one.

			This portfolio runs on **Vitrine**. Everything you see here is demo content: sign in to the admin \
			to write your own.
			""";

	private static final String RESUME = """
			## Experience

			### Staff engineer, Example Logistics (2021 – now)
			- Moved background work from Celery and Redis onto PostgreSQL; one fewer system to run.
			- Cut the p99 of the tracking API from 800 ms to 40 ms.

			### Backend engineer, Sample Bank (2016 – 2021)
			- Built the payments ledger (Java, PostgreSQL), 2 M transfers a day.

			## Skills
			| Area | Tools |
			|---|---|
			| Languages | Java, SQL, Python |
			| Data | PostgreSQL, Kafka |
			| Operations | Linux, containers, Prometheus |

			## Education
			MSc Computer Science, University of Examples (2016)
			""" + DEMO_NOTE;

	private static final List<DemoEntry> PROJECTS = List.of(
			new DemoEntry("ledger", "Ledger", "A double-entry ledger on PostgreSQL that never loses a cent.",
					List.of("java", "postgresql"), "https://example.com/ada/ledger", """
							Ledger keeps accounts balanced with one rule: every transfer is two rows in one transaction.

							## Design
							- Append-only `posting` table, balances as a materialized sum
							- Idempotency keys on every request

							```sql
							SELECT account, sum(amount) FROM posting GROUP BY account;
							```
							""" + DEMO_NOTE),
			new DemoEntry("queue-bench", "queue-bench", "Measuring job queues honestly: throughput, CPU and latency.",
					List.of("benchmarks", "postgresql"), "https://example.com/ada/queue-bench", """
							A harness that drains 20,000 no-op jobs through a queue and reports jobs per second, \
							CPU per job and enqueue-to-start latency.

							| Engine | Jobs/s |
							|---|---|
							| SKIP LOCKED batches | very many |
							| Redis + Celery | fewer |
							""" + DEMO_NOTE),
			new DemoEntry("dotfiles", "dotfiles", "My shell, editor and terminal setup.", List.of("tools"),
					"https://example.com/ada/dotfiles", """
							Small, fast, and reproducible on a new machine in one command.
							""" + DEMO_NOTE));

	private static final List<DemoEntry> ARTICLES = List.of(
			new DemoEntry("postgres-is-a-fine-queue", "PostgreSQL is a fine queue",
					"FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY, and why you may not need Redis.",
					List.of("postgresql", "architecture"), "", """
							Most teams add Redis to run background jobs. PostgreSQL can do it, transactionally.

							## Claiming work
							```sql
							SELECT id FROM job WHERE run_at <= now()
							ORDER BY run_at LIMIT 10 FOR UPDATE SKIP LOCKED;
							```

							## Waking workers
							`LISTEN` and `NOTIFY` wake idle workers within milliseconds.
							""" + DEMO_NOTE),
			new DemoEntry("one-dockerfile", "One Dockerfile, two services",
					"Multi-stage builds turned four Dockerfiles into one.", List.of("containers", "architecture"), "",
					"""
							Four Dockerfiles that were 80% the same became one file with stages.

							1. `base`: the OS and a non-root user
							2. `builder`: JDK and Maven
							3. `runtime`: a small JRE and the app
							""" + DEMO_NOTE),
			new DemoEntry("measure-before-you-cut", "Measure before you cut",
					"Benchmarks on shared machines: medians, ratios and a baseline in the same run.",
					List.of("benchmarks"), "", """
							A benchmark without a baseline measured in the same session tells you about the \
							machine, not the code. Quote medians and ratios.
							""" + DEMO_NOTE));

}
