package dev.vitrine.site;

/**
 * A page's metadata for its head: title, description, canonical URL, Open Graph and
 * Twitter card tags, and structured data.
 *
 * @param type the Open Graph type: {@code website}, {@code article} or {@code profile}
 * @param image absolute URL of the page's social card
 * @param jsonLd JSON-LD for a {@code <script type="application/ld+json">} block, already
 * escaped for it, or {@code null}
 */
public record PageMeta(String title, String description, String canonical, String type, String image, String jsonLd) {
}
