package dev.vitrine.site;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Dates as pages show them: readable in text, ISO 8601 in {@code datetime} attributes and
 * feeds.
 */
public final class Dates {

	private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private Dates() {
	}

	public static String readable(Instant instant) {
		return (instant != null) ? READABLE.format(instant) : "";
	}

	/**
	 * To the second: PostgreSQL keeps microseconds, and HTML allows at most three digits
	 * of a second in {@code <time datetime>}.
	 */
	public static String iso(Instant instant) {
		return (instant != null) ? DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS)) : "";
	}

}
