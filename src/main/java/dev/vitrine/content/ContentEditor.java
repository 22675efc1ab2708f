package dev.vitrine.content;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes content: validates, renders Markdown once, stores, and announces each change as
 * a {@link ContentChanged} event inside the same transaction.
 */
@Component
public class ContentEditor {

	private static final Pattern TAG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	/**
	 * What PostgreSQL cannot store. Other control characters are refused nowhere: a word
	 * processor's line break (U+000B) pasted into a title is the owner's text, and the
	 * feed replaces what XML cannot carry.
	 */
	private static final Pattern NUL = Pattern.compile("\\x{0}");

	/**
	 * What PostgreSQL's timestamptz holds, and a date field shows, with room to spare.
	 */
	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	/**
	 * Stores the profile, a stored one changed only where the caller's condition, if any,
	 * holds.
	 */
	private static final String PROFILE_UPSERT = """
			INSERT INTO profile (id, name, headline, location, email, links, bio_markdown, bio_html, resume_markdown,
			                     resume_html, demo, updated_at)
			VALUES (1, :name, :headline, :location, :email, :links, :bio, :bioHtml, :resume, :resumeHtml, false, now())
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, headline = excluded.headline,
			    location = excluded.location, email = excluded.email, links = excluded.links,
			    bio_markdown = excluded.bio_markdown, bio_html = excluded.bio_html,
			    resume_markdown = excluded.resume_markdown, resume_html = excluded.resume_html, demo = false,
			    version = profile.version + 1, updated_at = now()""";

	/** How many bad link lines a message names, and how much of each it quotes. */
	private static final int MAX_NAMED_LINES = 5;

	private static final int MAX_QUOTED_LINE = 60;

	private final JdbcClient jdbc;

	private final Markdown markdown;

	private final ApplicationEventPublisher events;

	private final ImageSizes imageSizes;

	ContentEditor(JdbcClient jdbc, Markdown markdown, ApplicationEventPublisher events, ImageSizes imageSizes) {
		this.jdbc = jdbc;
		this.markdown = markdown;
		this.events = events;
		this.imageSizes = imageSizes;
	}

	/** Every entry of a kind, drafts included, newest change first. */
	public List<Entry> entries(EntryKind kind) {
		return this.jdbc
			.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? ORDER BY updated_at DESC, id DESC")
			.param(kind.dbValue())
			.query(EntryRows.ENTRY)
			.list();
	}

	public Optional<Entry> entry(long id) {
		return this.jdbc.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE id = ?")
			.param(id)
			.query(EntryRows.ENTRY)
			.optional();
	}

	public Optional<Entry> entry(EntryKind kind, String slug) {
		return this.jdbc.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE kind = ? AND slug = ?")
			.params(kind.dbValue(), slug)
			.query(EntryRows.ENTRY)
			.optional();
	}

	public boolean isSlugTaken(EntryKind kind, String slug, Long exceptId) {
		return this.jdbc.sql("SELECT count(*) FROM entry WHERE kind = ? AND slug = ? AND id IS DISTINCT FROM ?")
			.params(kind.dbValue(), slug, exceptId)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * @throws InvalidContentException when a field is invalid; nothing is stored
	 */
	@Transactional
	public Entry create(EntryKind kind, EntryChange change) {
		EntryChange valid = validate(kind, change, null);
		Instant publishedAt = publishedAt(valid, null);
		long id = this.jdbc
			.sql("""
					INSERT INTO entry (kind, slug, title, summary, body_markdown, body_html, tags, link_url, featured,
					                   published, published_at)
					VALUES (:kind, :slug, :title, :summary, :markdown, :html, :tags, :link, :featured, :published, :publishedAt)
					RETURNING id""")
			.param("kind", kind.dbValue())
			.params(columns(valid, publishedAt))
			.query(Long.class)
			.single();
		ownAddress(kind, valid.slug());
		return announce(entry(id).orElseThrow());
	}

	/**
	 * Replaces the entry whatever was saved since it was read: for import, whose folder
	 * is the source. An editor passes the version it showed, to
	 * {@link #update(long, int, EntryChange)}.
	 * @throws InvalidContentException when a field is invalid; nothing is stored
	 * @throws java.util.NoSuchElementException when there is no such entry
	 */
	@Transactional
	public Entry update(long id, EntryChange change) {
		return save(id, Saver.IMPORT, change);
	}

	/**
	 * Saves an edit of {@code version} of the entry, only if it is still the stored one.
	 * @throws EditConflictException when the entry was saved since; nothing is stored
	 * @throws InvalidContentException when a field is invalid; nothing is stored
	 * @throws java.util.NoSuchElementException when there is no such entry
	 */
	@Transactional
	public Entry update(long id, int version, EntryChange change) {
		return save(id, new Saver.Editor(version), change);
	}

	private Entry save(long id, Saver saver, EntryChange change) {
		Entry current = entry(id).orElseThrow();
		EntryChange valid = validate(current.kind(), change, id);
		// checked in the UPDATE itself: a save committing meanwhile makes it match no row
		int updated = this.jdbc.sql("""
				UPDATE entry SET slug = :slug, title = :title, summary = :summary, body_markdown = :markdown,
				       body_html = :html, tags = :tags, link_url = :link, featured = :featured, published = :published,
				       published_at = :publishedAt, demo = false, version = version + 1, updated_at = now()
				WHERE id = :id""" + saver.versionCondition("version").map((check) -> " AND " + check).orElse(""))
			.params(columns(valid, publishedAt(valid, current)))
			.param("id", id)
			.params(saver.versionParam())
			.update();
		if (updated == 0) {
			throw switch (saver) {
				case Saver.Editor(int shown) -> new EditConflictException("entry " + id, shown);
				// only a delete committed since the read matches no row
				case Saver.Import ignored -> new NoSuchElementException("No entry " + id);
			};
		}
		if (!current.slug().equals(valid.slug())) {
			// the old address leads here from now on
			this.jdbc.sql("""
					INSERT INTO entry_moved (kind, slug, entry_id) VALUES (:kind, :old, :id)
					ON CONFLICT (kind, slug) DO UPDATE SET entry_id = excluded.entry_id""")
				.param("kind", current.kind().dbValue())
				.param("old", current.slug())
				.param("id", id)
				.update();
			ownAddress(current.kind(), valid.slug());
			// the old address's page is gone: tell caches holding it
			this.events.publishEvent(new ContentChanged.EntryGone(current.kind(), current.slug()));
		}
		return announce(entry(id).orElseThrow());
	}

	/**
	 * Whose save it is: the editor's, of the version it showed, which a save committed
	 * since turns into a conflict; or an import's, whose folder is the source whatever
	 * was saved since.
	 */
	private sealed interface Saver {

		Saver IMPORT = new Import();

		/** That the stored version is the one shown, where there is one. */
		Optional<String> versionCondition(String column);

		/** The value {@link #versionCondition} names. */
		Map<String, ?> versionParam();

		record Editor(int shownVersion) implements Saver {

			@Override
			public Optional<String> versionCondition(String column) {
				return Optional.of(column + " = :version");
			}

			@Override
			public Map<String, ?> versionParam() {
				return Map.of("version", this.shownVersion);
			}

		}

		record Import() implements Saver {

			@Override
			public Optional<String> versionCondition(String column) {
				return Optional.empty();
			}

			@Override
			public Map<String, ?> versionParam() {
				return Map.of();
			}

		}

	}

	/**
	 * The old addresses of a kind's entries (those that redirect to them), by the entry's
	 * id: what an export writes as {@code old_slugs}. Sorted byte by byte, as import
	 * sorts them, whatever the database's collation, so a round trip writes the same
	 * files. One that is an entry's own address now (a rolling deploy can leave that,
	 * operations.md) redirects nowhere, and would make the export's own import refuse it.
	 */
	Map<Long, List<String>> oldSlugs(EntryKind kind) {
		Map<Long, List<String>> slugs = new HashMap<>();
		this.jdbc.sql("""
				SELECT entry_id, slug FROM entry_moved m
				WHERE kind = ? AND NOT EXISTS (SELECT FROM entry e WHERE e.kind = m.kind AND e.slug = m.slug)
				ORDER BY slug COLLATE "C"
				""").param(kind.dbValue()).query((row) -> {
			slugs.computeIfAbsent(row.getLong("entry_id"), (id) -> new ArrayList<>()).add(row.getString("slug"));
		});
		return slugs;
	}

	/**
	 * Gives an entry old addresses from elsewhere (an import's {@code old_slugs}): each
	 * redirects to it from now on. Those it had stay.
	 * @param slugs valid slugs, not the entry's own
	 * @return whether any was not the entry's already
	 * @throws InvalidContentException when one is another entry's address, its own or an
	 * old one (taking it would break that entry's links without a word); nothing is
	 * stored
	 */
	@Transactional
	boolean addOldSlugs(long id, List<String> slugs) {
		if (slugs.isEmpty()) {
			return false;
		}
		Entry entry = entry(id).orElseThrow();
		String noun = entry.kind().noun();
		// an array, not a list of parameters: a file may list more than a statement takes
		String[] array = slugs.toArray(String[]::new);
		List<String> taken = this.jdbc
			.sql("SELECT slug FROM entry WHERE kind = :kind AND slug = ANY (:slugs) ORDER BY slug")
			.param("kind", entry.kind().dbValue())
			.param("slugs", array)
			.query(String.class)
			.list();
		List<String> redirecting = this.jdbc.sql("""
				SELECT m.slug AS old, e.slug AS now
				FROM entry_moved m JOIN entry e ON e.id = m.entry_id
				WHERE m.kind = :kind AND m.slug = ANY (:slugs) AND m.entry_id <> :id
				ORDER BY m.slug""")
			.param("kind", entry.kind().dbValue())
			.param("slugs", array)
			.param("id", id)
			.query((row, n) -> "'" + row.getString("old") + "' is an old address of the " + noun + " '"
					+ row.getString("now") + "'")
			.list();
		if (!redirecting.isEmpty()) {
			throw new InvalidContentException(Map.of("oldSlugs", String.join("; ", redirecting)
					+ "; an address leads to one " + noun + ", and an import takes none away: remove it here"));
		}
		if (!taken.isEmpty()) {
			throw new InvalidContentException(Map.of("oldSlugs",
					taken.stream().map((slug) -> "'" + slug + "'").collect(Collectors.joining(", "))
							+ " is the address of "
							+ (taken.contains(entry.slug()) ? "this " + noun : "another " + noun)
							+ "; an old address redirects only while no " + noun + " has it: remove it here, or rename"
							+ " or delete that " + noun + " first."));
		}
		int added = this.jdbc.sql("""
				INSERT INTO entry_moved (kind, slug, entry_id)
				SELECT :kind, slug, :id FROM unnest(CAST(:slugs AS text[])) AS slug
				ON CONFLICT (kind, slug) DO NOTHING""")
			.param("kind", entry.kind().dbValue())
			.param("slugs", array)
			.param("id", id)
			.update();
		// a rename committed meanwhile may have taken one first
		int ours = this.jdbc
			.sql("SELECT count(*) FROM entry_moved WHERE kind = :kind AND slug = ANY (:slugs) AND entry_id = :id")
			.param("kind", entry.kind().dbValue())
			.param("slugs", array)
			.param("id", id)
			.query(Integer.class)
			.single();
		if (ours < array.length) {
			throw new InvalidContentException(Map.of("oldSlugs", "another " + noun
					+ " took one of these addresses while this was imported: import again to see which"));
		}
		return added > 0;
	}

	/**
	 * An address an entry now has: an old address of another entry, or of this one, it no
	 * longer redirects.
	 */
	private void ownAddress(EntryKind kind, String slug) {
		this.jdbc.sql("DELETE FROM entry_moved WHERE kind = ? AND slug = ?").params(kind.dbValue(), slug).update();
	}

	@Transactional
	public Entry publish(long id) {
		this.jdbc
			.sql("UPDATE entry SET published = true, published_at = coalesce(published_at, now()),"
					+ " version = version + 1, updated_at = now() WHERE id = ?")
			.param(id)
			.update();
		return announce(entry(id).orElseThrow());
	}

	@Transactional
	public Entry unpublish(long id) {
		this.jdbc.sql("UPDATE entry SET published = false, version = version + 1, updated_at = now() WHERE id = ?")
			.param(id)
			.update();
		return announce(entry(id).orElseThrow());
	}

	@Transactional
	public void delete(long id) {
		entry(id).ifPresent((entry) -> {
			this.jdbc.sql("DELETE FROM entry WHERE id = ?").param(id).update();
			this.events.publishEvent(new ContentChanged.EntryGone(entry.kind(), entry.slug()));
		});
	}

	/**
	 * Replaces the profile whatever was saved since it was read: for import, whose folder
	 * is the source. The editor passes the version it showed, to
	 * {@link #saveProfile(ProfileChange, int)}.
	 * @throws InvalidContentException when a field is invalid; nothing is stored
	 */
	@Transactional
	public Profile saveProfile(ProfileChange change) {
		return storeProfile(change, Saver.IMPORT);
	}

	/**
	 * Saves an edit of {@code version} of the profile, only if it is still the stored
	 * one.
	 * @param version 0 when the editor showed no profile (none was stored)
	 * @throws EditConflictException when the profile was saved since; nothing is stored
	 * @throws InvalidContentException when a field is invalid; nothing is stored
	 */
	@Transactional
	public Profile saveProfile(ProfileChange change, int version) {
		return storeProfile(change, new Saver.Editor(version));
	}

	private Profile storeProfile(ProfileChange change, Saver saver) {
		Map<String, String> errors = profileErrors(change, saver instanceof Saver.Editor);
		if (!errors.isEmpty()) {
			throw new InvalidContentException(errors);
		}
		// a stored profile is changed only from the version given (none matches 0); one
		// saved meanwhile makes the statement change no row
		int saved = this.jdbc
			.sql(PROFILE_UPSERT
					+ saver.versionCondition("profile.version").map((check) -> " WHERE " + check).orElse(""))
			.params(saver.versionParam())
			.param("name", change.name())
			.param("headline", change.headline())
			.param("location", change.location())
			.param("email", change.email())
			.param("links", change.links())
			.param("bio", change.bioMarkdown())
			.param("bioHtml", html("bioMarkdown", change.bioMarkdown()))
			.param("resume", change.resumeMarkdown())
			.param("resumeHtml", html("resumeMarkdown", change.resumeMarkdown()))
			.update();
		if (saved == 0) {
			throw switch (saver) {
				case Saver.Editor(int shown) -> new EditConflictException("the profile", shown);
				// only a version makes the upsert change no row
				case Saver.Import ignored -> new IllegalStateException("the profile's upsert changed no row");
			};
		}
		this.events.publishEvent(ContentChanged.profile());
		return this.jdbc.sql("SELECT * FROM profile WHERE id = 1").query(EntryRows.PROFILE).single();
	}

	/**
	 * What is wrong with a profile, by field, that needs no database to tell: an import
	 * checks every file this way before it writes anything.
	 * @param editorsSave whether the editor saves it, which also checks that each line of
	 * the links is one
	 */
	static Map<String, String> profileErrors(ProfileChange change, boolean editorsSave) {
		Map<String, String> errors = new LinkedHashMap<>();
		if (change.name().isEmpty() || change.name().length() > ProfileChange.MAX_NAME) {
			errors.put("name", "Give a name of 1 to " + ProfileChange.MAX_NAME + " characters.");
		}
		if (change.headline().length() > ProfileChange.MAX_HEADLINE) {
			errors.put("headline", "Keep the headline under " + ProfileChange.MAX_HEADLINE + " characters.");
		}
		if (change.location().length() > ProfileChange.MAX_LOCATION) {
			errors.put("location", "Keep the location under " + ProfileChange.MAX_LOCATION + " characters.");
		}
		if (!change.email().isEmpty()
				&& (change.email().length() > ProfileChange.MAX_EMAIL || !EMAIL.matcher(change.email()).matches())) {
			errors.put("email", "Give an e-mail address like name@example.com, or leave it empty.");
		}
		if (change.links().length() > ProfileChange.MAX_LINKS) {
			errors.put("links", "Keep the links under " + ProfileChange.MAX_LINKS + " characters.");
		}
		else if (editorsSave) {
			// not an import's: it restores what a backup holds, and the site leaves out a
			// line that is not a link, as it always did
			notLinks(change.links()).ifPresent((message) -> errors.put("links", message));
		}
		if (change.bioMarkdown().length() > ProfileChange.MAX_MARKDOWN) {
			errors.put("bioMarkdown", "Keep the bio under " + ProfileChange.MAX_MARKDOWN + " characters.");
		}
		if (change.resumeMarkdown().length() > ProfileChange.MAX_MARKDOWN) {
			errors.put("resumeMarkdown", "Keep the résumé under " + ProfileChange.MAX_MARKDOWN + " characters.");
		}
		rejectNul(errors, "name", change.name());
		rejectNul(errors, "headline", change.headline());
		rejectNul(errors, "location", change.location());
		rejectNul(errors, "email", change.email());
		rejectNul(errors, "links", change.links());
		rejectNul(errors, "bioMarkdown", change.bioMarkdown());
		rejectNul(errors, "resumeMarkdown", change.resumeMarkdown());
		return errors;
	}

	public Optional<Profile> profile() {
		return this.jdbc.sql("SELECT * FROM profile WHERE id = 1").query(EntryRows.PROFILE).optional();
	}

	/**
	 * Deletes the demo entries seeded at first start; a profile still holding demo text
	 * is kept (the site needs one) but loses its demo mark only when edited.
	 * @return how many entries were deleted
	 */
	@Transactional
	public int removeDemoEntries() {
		List<Entry> demo = this.jdbc.sql("SELECT " + EntryRows.COLUMNS + " FROM entry WHERE demo")
			.query(EntryRows.ENTRY)
			.list();
		this.jdbc.sql("DELETE FROM entry WHERE demo").update();
		demo.forEach((entry) -> this.events.publishEvent(new ContentChanged.EntryGone(entry.kind(), entry.slug())));
		return demo.size();
	}

	private Entry announce(Entry entry) {
		this.events.publishEvent(
				new ContentChanged.EntryChanged(entry.kind(), entry.slug(), entry.visibilityAt(Instant.now())));
		return entry;
	}

	private String html(String field, String markdown) {
		try {
			return this.imageSizes.apply(this.markdown.toSafeHtml(markdown));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidContentException(Map.of(field, ex.getMessage()));
		}
	}

	private Map<String, Object> columns(EntryChange change, Instant publishedAt) {
		Map<String, Object> columns = new LinkedHashMap<>();
		columns.put("slug", change.slug());
		columns.put("title", change.title());
		columns.put("summary", change.summary());
		columns.put("markdown", change.bodyMarkdown());
		columns.put("html", html("bodyMarkdown", change.bodyMarkdown()));
		columns.put("tags", change.tags().toArray(String[]::new));
		columns.put("link", change.linkUrl());
		columns.put("featured", change.featured());
		columns.put("published", change.published());
		columns.put("publishedAt", EntryRows.timestamp(publishedAt));
		return columns;
	}

	/**
	 * The date given; without one, the date the entry went live (a stored date that has
	 * passed), else now if it is published. A future date left out is dropped, so
	 * clearing a scheduled entry's date publishes it now, and a draft's leaves it
	 * undated. Import compares a file with what this would store.
	 */
	static Instant publishedAt(EntryChange change, Entry current) {
		if (change.publishedAt() != null) {
			return change.publishedAt();
		}
		Instant now = Instant.now();
		if (current != null && current.publishedAt() != null && !current.publishedAt().isAfter(now)) {
			return current.publishedAt();
		}
		return change.published() ? now : null;
	}

	private EntryChange validate(EntryKind kind, EntryChange change, Long id) {
		Map<String, String> errors = entryErrors(change);
		String slug = slugOf(change);
		if (!errors.containsKey("slug") && Slugs.isValid(slug) && isSlugTaken(kind, slug, id)) {
			errors.put("slug", "Another " + kind.noun() + " already uses the slug " + slug + ".");
		}
		if (!errors.isEmpty()) {
			throw new InvalidContentException(errors);
		}
		return change.withSlug(slug);
	}

	/** The slug given, or else the one made from the title. */
	private static String slugOf(EntryChange change) {
		return change.slug().isEmpty() ? Slugs.fromTitle(change.title()) : change.slug();
	}

	/**
	 * What is wrong with an entry, by field, that needs no database to tell: an import
	 * checks every file this way before it writes anything.
	 */
	static Map<String, String> entryErrors(EntryChange change) {
		Map<String, String> errors = new LinkedHashMap<>();
		if (change.title().isEmpty() || change.title().length() > EntryChange.MAX_TITLE) {
			errors.put("title", "Give a title of 1 to " + EntryChange.MAX_TITLE + " characters.");
		}
		String slug = slugOf(change);
		if (!Slugs.isValid(slug)) {
			if (!change.slug().isEmpty()) {
				errors.put("slug", "Use lower-case letters, digits and single hyphens (like my-first-post), at most "
						+ EntryChange.MAX_SLUG + " characters.");
			}
			else if (!change.title().isEmpty()) {
				// a title in another script, or of signs alone: it has letters, none a
				// slug can use
				errors.put("slug", "Give a slug: one is made of the letters a to z, digits and hyphens (like"
						+ " my-first-post), and the title has none of them to make it from.");
			}
			// an empty title has its own message, and its slug follows once it has one
		}
		if (change.summary().length() > EntryChange.MAX_SUMMARY) {
			errors.put("summary", "Keep the summary under " + EntryChange.MAX_SUMMARY + " characters.");
		}
		if (change.bodyMarkdown().length() > EntryChange.MAX_MARKDOWN) {
			errors.put("bodyMarkdown", "Keep the text under " + EntryChange.MAX_MARKDOWN + " characters.");
		}
		if (change.tags().size() > EntryChange.MAX_TAGS) {
			errors.put("tags", "Use at most " + EntryChange.MAX_TAGS + " tags.");
		}
		else if (!change.tags()
			.stream()
			.allMatch((tag) -> tag.length() <= EntryChange.MAX_TAG && TAG.matcher(tag).matches())) {
			errors.put("tags", "Tags are lower-case words or digits joined by hyphens, like java or spring-boot.");
		}
		if (!change.linkUrl().isEmpty() && !isWebUrl(change.linkUrl())) {
			errors.put("linkUrl", "Give a full http:// or https:// address, or leave it empty.");
		}
		if (change.publishedAt() != null
				&& (change.publishedAt().isBefore(EARLIEST) || change.publishedAt().isAfter(LATEST))) {
			errors.put("publishedAt", "Give a date between the years 1 and 9999.");
		}
		rejectNul(errors, "title", change.title());
		rejectNul(errors, "summary", change.summary());
		rejectNul(errors, "bodyMarkdown", change.bodyMarkdown());
		return errors;
	}

	/**
	 * What to say about the lines of the profile's links that the site could not show (it
	 * leaves them out), naming each; empty when every non-empty line is a link.
	 */
	private static Optional<String> notLinks(String links) {
		List<String> bad = new ArrayList<>();
		String[] lines = links.split("\n");
		for (int i = 0; i < lines.length; i++) {
			if (!lines[i].isBlank() && Profile.link(lines[i]).isEmpty()) {
				bad.add("line " + (i + 1) + " “" + abbreviated(lines[i].strip()) + "”");
			}
		}
		if (bad.isEmpty()) {
			return Optional.empty();
		}
		String named = (bad.size() <= MAX_NAMED_LINES) ? String.join(", ", bad)
				: String.join(", ", bad.subList(0, MAX_NAMED_LINES)) + " and " + (bad.size() - MAX_NAMED_LINES)
						+ " more";
		return Optional.of("These lines are not links: " + named + ". Give one per line: a label, a space, and an"
				+ " address starting with https://, http:// or mailto:, like GitHub https://github.com/you");
	}

	private static String abbreviated(String line) {
		return (line.codePointCount(0, line.length()) <= MAX_QUOTED_LINE) ? line
				: line.substring(0, line.offsetByCodePoints(0, MAX_QUOTED_LINE - 1)) + "…";
	}

	/** A field's first problem is the one shown: a length error stays. */
	private static void rejectNul(Map<String, String> errors, String field, String value) {
		if (NUL.matcher(value).find()) {
			errors.putIfAbsent(field, "Remove the NUL characters (U+0000): they cannot be stored.");
		}
	}

	private static boolean isWebUrl(String value) {
		if (value.length() > EntryChange.MAX_LINK_URL) {
			return false;
		}
		try {
			URI uri = new URI(value);
			return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

}
