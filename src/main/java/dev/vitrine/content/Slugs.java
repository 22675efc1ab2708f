package dev.vitrine.content;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** URL slugs: lower-case ASCII words joined by hyphens, e.g. {@code hello-world}. */
public final class Slugs {

	public static final Pattern VALID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	public static final int MAX_LENGTH = 100;

	private static final Map<Integer, String> LETTERS = Map.of((int) 'ß', "ss", (int) 'æ', "ae", (int) 'œ', "oe",
			(int) 'ø', "o", (int) 'ł', "l", (int) 'đ', "d", (int) 'ð', "d", (int) 'þ', "th", (int) 'ı', "i");

	private Slugs() {
	}

	/**
	 * A slug made from a title: folded to ASCII as heading ids are
	 * ({@link #asciiFolded}), anything but letters and digits becomes a hyphen.
	 */
	public static String fromTitle(String title) {
		String slug = asciiFolded(title).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (slug.length() > MAX_LENGTH) {
			slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
		}
		return slug;
	}

	/**
	 * Text in lower-case ASCII: accents dropped, compatibility forms decomposed (ﬁ is
	 * fi), the letters that have no accent to drop spelled out (ß is ss, æ is ae), any
	 * other character a space. One folding for slugs and heading ids, so that a title
	 * gives the same words in both.
	 */
	static String asciiFolded(String text) {
		String decomposed = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFKD);
		StringBuilder folded = new StringBuilder();
		decomposed.codePoints().forEach((c) -> {
			if (c < 128) {
				folded.appendCodePoint(c);
			}
			else if (Character.getType(c) != Character.NON_SPACING_MARK) {
				folded.append(LETTERS.getOrDefault(c, " "));
			}
		});
		return folded.toString();
	}

	public static boolean isValid(String slug) {
		return slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches();
	}

}
