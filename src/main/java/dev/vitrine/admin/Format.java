package dev.vitrine.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the admin pages write times and durations (UTC, to the second). */
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

	public static String millis(Long millis) {
		return (millis != null) ? duration(Duration.ofMillis(millis)) : "—";
	}

}
