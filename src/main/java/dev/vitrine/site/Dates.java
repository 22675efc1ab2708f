package dev.vitrine.site;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Dates as pages show them: readable in text, ISO 8601 in {@code datetime} attributes.
 */
public final class Dates {

	private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private Dates() {
	}

	public static String readable(Instant instant) {
		return (instant != null) ? READABLE.format(instant) : "";
	}

	public static String iso(Instant instant) {
		return (instant != null) ? DateTimeFormatter.ISO_INSTANT.format(instant) : "";
	}

}
