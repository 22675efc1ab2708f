package dev.vitrine.site;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * and the content's last change, so a browser revalidating gets a 304 without a render. A
 * page rendered within {@link #SETTLE} of its last change's second is served without a
 * Last-Modified, and not kept: HTTP dates count whole seconds, so a client holding that
 * date could not tell a later change in the same second (or one committing while the page
 * rendered) from none, and would get a 304 for a stale page. The ETag still answers such
 * a client, and the next render after the settling has the date. Everything is dropped at
 * once on any change: changes are rare, and a new article touches the home page, lists,
 * tags and feed alike. The pages' bytes are bounded
 * ({@code VITRINE_SITE_PAGE_CACHE_SIZE}): a page that would go over it starts the cache
 * over, so odd Host headers or many tags cost renders, never memory.
 */
@Component
class PageCache {

	/**
	 * How long after the end of the last change's second a page must be rendered to carry
	 * its date: changes are stamped as they commit (V17), and a commit becomes visible
	 * milliseconds after its stamp; two seconds cover a slow disk or a standby's
	 * acknowledgement. A commit that stalls longer than that (a synchronous standby gone)
	 * could still date a change into a second that a page's date already covers.
	 */
	static final Duration SETTLE = Duration.ofSeconds(2);

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
			ContentCatalog.LastChange change = this.catalog.lastChange();
			return render.get().map((body) -> CachedPage.of(body, uriTemplate, contentType, change));
		}
		if (!Instant.now().isBefore(this.validUntil)) {
			clear();
		}
		CachedPage cached = this.pages.get(key);
		if (cached != null) {
			return Optional.of(cached);
		}
		long renderedIn = this.generation;
		ContentCatalog.LastChange change = this.catalog.lastChange();
		Optional<CachedPage> page = render.get().map((body) -> CachedPage.of(body, uriTemplate, contentType, change));
		page.filter((rendered) -> rendered.lastModified().isPresent())
			.ifPresent((rendered) -> store(key, rendered, renderedIn));
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
	 * @param lastModified its Last-Modified, in whole seconds; empty when rendered too
	 * soon after the change (see {@link PageCache})
	 */
	record CachedPage(byte[] body, String uriTemplate, String contentType, String etag,
			Optional<Instant> lastModified) {

		static CachedPage of(String body, String uriTemplate, String contentType, ContentCatalog.LastChange change) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			Instant second = change.at().truncatedTo(ChronoUnit.SECONDS);
			boolean settled = !change.readAt().isBefore(second.plusSeconds(1).plus(SETTLE));
			return new CachedPage(bytes, uriTemplate, contentType, "\"" + Sha256.hex(bytes).substring(0, 24) + "\"",
					settled ? Optional.of(second) : Optional.empty());
		}

	}

}
