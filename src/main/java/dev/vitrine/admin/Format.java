package dev.vitrine.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the admin pages write times (UTC, to the second), durations and sizes. */
public final class Format {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private Format() {
	}

	public static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "—";
	}

	public static String duration(Duration duration) {
		if (duration == null) {
			return "—";
		}
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		long seconds = duration.toSeconds();
		return (seconds < 120) ? seconds + " s" : (seconds < 7200) ? (seconds / 60) + " min" : (seconds / 3600) + " h";
	}

	/** draft, scheduled (published with a future date) or published */
	public static String entryState(dev.vitrine.content.Entry entry, Instant now) {
		return entry.visibilityAt(now).label();
	}

	/**
	 * A file's size: bytes under a kilobyte (a small icon is not "0 KB"), else KB or MB.
	 */
	public static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " bytes";
		}
		if (bytes < 1024 * 1024) {
			return Math.round(bytes / 1024.0) + " KB";
		}
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	public static String millis(Long millis) {
		return (millis != null) ? duration(Duration.ofMillis(millis)) : "—";
	}

}
