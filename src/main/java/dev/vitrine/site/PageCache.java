package dev.vitrine.site;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.ops.Sha256;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Rendered public pages, kept in memory until content changes. Each page keeps its ETag
 * and the content's last change, so a browser revalidating gets a 304 without a render.
 * Everything is dropped at once on any change: changes are rare, and a new article
 * touches the home page, lists, tags and feed alike. The pages' bytes are bounded
 * ({@code VITRINE_SITE_PAGE_CACHE_SIZE}): a page that would go over it starts the cache
 * over, so odd Host headers or many tags cost renders, never memory.
 */
@Component
class PageCache {

	private final Map<String, CachedPage> pages = new ConcurrentHashMap<>();

	private final ContentCatalog catalog;

	private final long maxBytes;

	/** Of the pages' bodies and keys; changed only under this object's lock. */
	private volatile long bytes;

	/**
	 * One more at every drop, under this object's lock: a page rendered while the cache
	 * was dropped (content changed under the render) is not stored.
	 */
	private volatile long generation;

	/** When a future-dated entry goes public: the cache is stale from then on. */
	private volatile Instant validUntil = Instant.MIN;

	/** Off until this process hears of content changes (see {@link ContentChanges}). */
	private volatile boolean enabled;

	PageCache(ContentCatalog catalog, SiteSettings settings, MeterRegistry registry) {
		this.catalog = catalog;
		this.maxBytes = settings.pageCacheSize().toBytes();
		Gauge.builder("vitrine.page.cache.size", this, (cache) -> cache.bytes)
			.description("Bytes of the rendered pages kept in memory")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("vitrine.page.cache.pages", this.pages, Map::size)
			.description("Rendered pages kept in memory")
			.register(registry);
	}

	/**
	 * The cached page for a key, or the rendered one (cached when present).
	 * @param render makes the body, or returns empty for "no such page"
	 */
	Optional<CachedPage> get(String key, String uriTemplate, String contentType, Supplier<Optional<String>> render) {
		if (!this.enabled) {
			return render.get()
				.map((body) -> CachedPage.of(body, uriTemplate, contentType, this.catalog.lastModified()));
		}
		if (!Instant.now().isBefore(this.validUntil)) {
			clear();
		}
		CachedPage cached = this.pages.get(key);
		if (cached != null) {
			return Optional.of(cached);
		}
		long renderedIn = this.generation;
		Instant lastModified = this.catalog.lastModified();
		Optional<CachedPage> page = render.get()
			.map((body) -> CachedPage.of(body, uriTemplate, contentType, lastModified));
		page.ifPresent((rendered) -> store(key, rendered, renderedIn));
		return page;
	}

	private synchronized void store(String key, CachedPage page, long renderedIn) {
		if (renderedIn != this.generation) {
			// content changed while it rendered: it may show what was there before
			return;
		}
		long size = weight(key, page);
		if (size > this.maxBytes) {
			return;
		}
		if (this.bytes + size > this.maxBytes) {
			dropAll();
		}
		CachedPage previous = this.pages.put(key, page);
		this.bytes += size - ((previous != null) ? weight(key, previous) : 0);
	}

	private static long weight(String key, CachedPage page) {
		return page.body().length + key.length();
	}

	private synchronized void dropAll() {
		this.pages.clear();
		this.bytes = 0;
		this.generation++;
	}

	void clear() {
		// read before clearing, so a publication landing in between is not missed
		this.validUntil = this.catalog.nextScheduledPublication().orElse(Instant.MAX);
		dropAll();
	}

	/**
	 * The cached page for a key, if there is one and it is current; never renders.
	 */
	Optional<CachedPage> peek(String key) {
		if (!this.enabled || !Instant.now().isBefore(this.validUntil)) {
			return Optional.empty();
		}
		return Optional.ofNullable(this.pages.get(key));
	}

	/** Starts caching: the process now hears of every change. */
	void enable() {
		clear();
		this.enabled = true;
	}

	/** Stops caching: changes may go unheard. */
	void disable() {
		this.enabled = false;
		dropAll();
	}

	/**
	 * @param uriTemplate the route that made it, e.g. {@code /articles/{slug}}: the
	 * {@code uri} tag of its request metrics
	 */
	record CachedPage(byte[] body, String uriTemplate, String contentType, String etag, Instant lastModified) {

		static CachedPage of(String body, String uriTemplate, String contentType, Instant lastModified) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			return new CachedPage(bytes, uriTemplate, contentType, "\"" + Sha256.hex(bytes).substring(0, 24) + "\"",
					lastModified);
		}

	}

}
