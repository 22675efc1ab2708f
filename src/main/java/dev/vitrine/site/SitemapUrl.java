package dev.vitrine.site;

import java.time.Instant;

/**
 * One page in the sitemap.
 *
 * @param location the page's absolute URL
 * @param modified when it last changed, or {@code null} when unknown (tag pages)
 */
public record SitemapUrl(String location, Instant modified) {
}
