package dev.vitrine.admin;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryChange;

/**
 * The project and article editor's form, as typed: tags as a comma list, the publish date
 * as a {@code datetime-local} value in UTC.
 *
 * @param version the entry's version the form was filled from, so a save can tell whether
 * it was saved since; null for a new entry, or when the form did not send it
 */
public record EntryForm(String title, String slug, String summary, String body, String tags, String linkUrl,
		Boolean featured, Boolean published, String publishedAt, Integer version) {

	private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

	/** What HTML allows in a {@code datetime-local} input's value. */
	private static final Pattern HTML_LOCAL = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?");

	public EntryForm {
		title = (title != null) ? title : "";
		slug = (slug != null) ? slug : "";
		summary = (summary != null) ? summary : "";
		body = (body != null) ? body : "";
		tags = (tags != null) ? tags : "";
		linkUrl = (linkUrl != null) ? linkUrl : "";
		publishedAt = (publishedAt != null) ? publishedAt.strip() : "";
		// an unticked checkbox sends nothing
		featured = Boolean.TRUE.equals(featured);
		published = Boolean.TRUE.equals(published);
	}

	static EntryForm empty() {
		return new EntryForm("", "", "", "", "", "", false, false, "", null);
	}

	static EntryForm of(Entry entry) {
		return new EntryForm(entry.title(), entry.slug(), entry.summary(), entry.bodyMarkdown(),
				String.join(", ", entry.tags()), entry.linkUrl(), entry.featured(), entry.published(),
				(entry.publishedAt() != null)
						? LOCAL.format(entry.publishedAt().truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC))
						: "",
				entry.version());
	}

	/** The same text, to be saved over {@code version}. */
	EntryForm withVersion(int version) {
		return new EntryForm(this.title, this.slug, this.summary, this.body, this.tags, this.linkUrl, this.featured,
				this.published, this.publishedAt, version);
	}

	/**
	 * The publish date for the form's {@code datetime-local} input: empty when what was
	 * sent is not a date there (a browser never sends one; the error message says what to
	 * give).
	 */
	public String publishedAtInput() {
		if (!HTML_LOCAL.matcher(this.publishedAt).matches()) {
			return "";
		}
		try {
			LocalDateTime.parse(this.publishedAt);
			return this.publishedAt;
		}
		catch (DateTimeParseException ex) {
			return "";
		}
	}

	/**
	 * @param current the entry being edited, null for a new one: its publish date is kept
	 * to the nanosecond when the form's, which shows minutes, was left as it was
	 * @throws IllegalArgumentException when the publish date cannot be read
	 */
	EntryChange toChange(Entry current) {
		Instant date = null;
		if (current != null && current.publishedAt() != null && this.publishedAt.equals(of(current).publishedAt())) {
			date = current.publishedAt();
		}
		else if (!this.publishedAt.isEmpty()) {
			try {
				date = LocalDateTime.parse(this.publishedAt).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("Give the date as YYYY-MM-DDTHH:MM (UTC), or leave it empty.");
			}
		}
		return EntryChange.builder()
			.title(this.title)
			.slug(this.slug)
			.summary(this.summary)
			.body(this.body)
			.tags(EntryChange.parseTags(this.tags))
			.link(this.linkUrl)
			.featured(this.featured)
			.published(this.published)
			.publishedAt(date)
			.build();
	}

}
