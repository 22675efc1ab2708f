package dev.vitrine.site;

import java.util.Locale;

/**
 * A page's metadata for its head: title, description, canonical URL, Open Graph and
 * Twitter card tags, and structured data.
 *
 * @param type the Open Graph type
 * @param image absolute URL of the page's social card
 * @param jsonLd JSON-LD for a {@code <script type="application/ld+json">} block, already
 * escaped for it, or {@code null}
 */
public record PageMeta(String title, String description, String canonical, Type type, String image, String jsonLd) {

	/** A page of the site as a whole (a list, a form): no structured data of its own. */
	static PageMeta website(String title, String description, String canonical, String image) {
		return new PageMeta(title, description, canonical, Type.WEBSITE, image, null);
	}

	/** The Open Graph types the site's pages are. */
	public enum Type {

		WEBSITE, ARTICLE, PROFILE;

		/**
		 * As {@code og:type} says it: {@code website}, {@code article}, {@code profile}.
		 */
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
