package dev.vitrine.content;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How content looks as files: {@code projects/SLUG.md} and {@code articles/SLUG.md} with
 * front matter (title, summary, tags, link, featured, published, published_at, old_slugs)
 * and the Markdown body; {@code profile.md} (name, headline, location, email, links; the
 * bio as body) and {@code resume.md} (the résumé as body).
 */
final class ContentFiles {

	static final String PROFILE = "profile.md";

	static final String RESUME = "resume.md";

	/** The folder of images, each a file {@code ID-NAME}. */
	static final String MEDIA = "media";

	/** An image's file name in {@link #MEDIA}: its id and its name. */
	static final Pattern MEDIA_FILE = Pattern.compile("([0-9]{1,18})-([^/]+)");

	private static final Set<String> ENTRY_KEYS = Set.of("title", "summary", "tags", "link", "featured", "published",
			"published_at", "old_slugs");

	private static final Set<String> PROFILE_KEYS = Set.of("name", "headline", "location", "email", "links");

	private ContentFiles() {
	}

	/**
	 * @param oldSlugs the entry's old addresses, which redirect to it ({@code old_slugs})
	 */
	static String write(Entry entry, List<String> oldSlugs) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("title", entry.title());
		if (!entry.summary().isEmpty()) {
			fields.put("summary", entry.summary());
		}
		if (!entry.tags().isEmpty()) {
			fields.put("tags", entry.tags());
		}
		if (!entry.linkUrl().isEmpty()) {
			fields.put("link", entry.linkUrl());
		}
		if (entry.featured()) {
			fields.put("featured", true);
		}
		fields.put("published", entry.published());
		if (entry.publishedAt() != null) {
			fields.put("published_at", entry.publishedAt().toString());
		}
		if (!oldSlugs.isEmpty()) {
			fields.put("old_slugs", oldSlugs);
		}
		return new FrontMatterFile(fields, entry.bodyMarkdown(), 0).write();
	}

	static String writeProfile(Profile profile) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("name", profile.name());
		fields.put("headline", profile.headline());
		fields.put("location", profile.location());
		fields.put("email", profile.email());
		List<String> links = profile.links().isBlank() ? List.of() : List.of(profile.links().split("\n"));
		fields.put("links", links);
		return new FrontMatterFile(fields, profile.bioMarkdown(), 0).write();
	}

	static String writeResume(Profile profile) {
		return new FrontMatterFile(Map.of(), profile.resumeMarkdown(), 0).write();
	}

	/**
	 * @throws FrontMatterFile.Problem for unreadable front matter or a field of the wrong
	 * type
	 */
	static EntryText readEntry(String slug, String text) throws FrontMatterFile.Problem {
		FrontMatterFile file = FrontMatterFile.parse(text);
		Fields fields = new Fields(file.fields(), text, ENTRY_KEYS).checked();
		TreeSet<String> oldSlugs = new TreeSet<>(fields.strings("old_slugs"));
		for (String old : oldSlugs) {
			if (!Slugs.isValid(old)) {
				throw fields.problem("old_slugs", "'" + old + "' is not a slug: an old address is the slug the entry"
						+ " had, lower-case letters, digits and single hyphens, like my-first-post");
			}
			if (old.equals(slug)) {
				throw fields.problem("old_slugs", "'" + old + "' is this entry's own address (its file name)");
			}
		}
		EntryChange change = EntryChange.builder()
			.title(fields.string("title"))
			.slug(slug)
			.summary(fields.string("summary"))
			.body(file.body())
			.tags(fields.strings("tags"))
			.link(fields.string("link"))
			.featured(fields.bool("featured"))
			.published(fields.bool("published"))
			.publishedAt(fields.instant("published_at"))
			.build();
		return new EntryText(change, List.copyOf(oldSlugs));
	}

	/**
	 * An entry's file, read.
	 *
	 * @param oldSlugs the addresses it had before (sorted, each once), which redirect to
	 * it
	 */
	record EntryText(EntryChange change, List<String> oldSlugs) {
	}

	/**
	 * @param resume the résumé's Markdown, from {@link #readResume}
	 */
	static ProfileChange readProfile(String profileText, String resume) throws FrontMatterFile.Problem {
		FrontMatterFile file = FrontMatterFile.parse(profileText);
		Fields fields = new Fields(file.fields(), profileText, PROFILE_KEYS).checked();
		return new ProfileChange(fields.string("name"), fields.string("headline"), fields.string("location"),
				fields.string("email"), String.join("\n", fields.strings("links")), file.body(), resume);
	}

	/**
	 * The résumé's Markdown: export writes it with empty front matter, so it reads like
	 * the other files; what front matter it has is not used.
	 */
	static String readResume(String text) throws FrontMatterFile.Problem {
		return FrontMatterFile.parse(text).body();
	}

	/** Typed access to front matter, with the line of a bad value in its error. */
	private record Fields(Map<String, Object> values, String text, Set<String> known) {

		Fields checked() throws FrontMatterFile.Problem {
			for (String key : this.values.keySet()) {
				if (!this.known.contains(key)) {
					throw new FrontMatterFile.Problem(FrontMatterFile.lineOf(this.text, key), "unknown field '" + key
							+ "'; known: " + String.join(", ", this.known.stream().sorted().toList()));
				}
			}
			return this;
		}

		String string(String key) throws FrontMatterFile.Problem {
			Object value = this.values.get(key);
			if (value == null) {
				return "";
			}
			if (value instanceof String text) {
				return text;
			}
			throw notText(key, value);
		}

		boolean bool(String key) throws FrontMatterFile.Problem {
			Object value = this.values.get(key);
			if (value == null) {
				return false;
			}
			if (value instanceof Boolean flag) {
				return flag;
			}
			throw problem(key, "must be true or false");
		}

		List<String> strings(String key) throws FrontMatterFile.Problem {
			Object value = this.values.get(key);
			if (value == null) {
				return List.of();
			}
			if (value instanceof List<?> list) {
				List<String> result = new ArrayList<>();
				for (Object item : list) {
					if (!(item instanceof String text)) {
						throw notText(key, item);
					}
					result.add(text);
				}
				return result;
			}
			if (value instanceof String text) {
				return List.of(text.split("\\s*,\\s*"));
			}
			throw problem(key, "must be a list, like [java, postgresql]");
		}

		Instant instant(String key) throws FrontMatterFile.Problem {
			Object value = this.values.get(key);
			if (value == null || "".equals(value)) {
				return null;
			}
			if (value instanceof Date date) {
				return date.toInstant();
			}
			String text = String.valueOf(value);
			try {
				return Instant.parse(text);
			}
			catch (DateTimeParseException notAnInstant) {
				try {
					return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeParseException notLocal) {
					try {
						return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
					}
					catch (DateTimeParseException notADate) {
						throw problem(key, "must be a date like 2026-11-28 or 2026-11-28T09:30:00Z");
					}
				}
			}
		}

		/**
		 * YAML reads some unquoted words as other things (yes as true, 0755 as 493, a
		 * !!binary as bytes): stored as text they would not be what the file says.
		 */
		private FrontMatterFile.Problem notText(String key, Object value) {
			if (value instanceof Map || value instanceof List || value == null) {
				return problem(key, "must be text");
			}
			return problem(key, "must be text, and YAML does not read this value as text: put it in quotes, like " + key
					+ ": \"...\"");
		}

		FrontMatterFile.Problem problem(String key, String message) {
			return new FrontMatterFile.Problem(FrontMatterFile.lineOf(this.text, key), key + " " + message);
		}

	}

}
