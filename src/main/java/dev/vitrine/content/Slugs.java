package dev.vitrine.content;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL slugs: lower-case ASCII words joined by hyphens, e.g. {@code hello-world}. */
public final class Slugs {

	public static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	public static final int MAX_LENGTH = 100;

	private Slugs() {
	}

	/** A slug made from a title: accents dropped, anything else becomes a hyphen. */
	public static String fromTitle(String title) {
		String ascii = Normalizer.normalize(title, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (slug.length() > MAX_LENGTH) {
			slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
		}
		return slug;
	}

	public static boolean isValid(String slug) {
		return slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches();
	}

}
