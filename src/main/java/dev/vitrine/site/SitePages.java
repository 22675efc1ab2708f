package dev.vitrine.site;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.documents.Documents;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Profile;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import dev.vitrine.rendering.PaperSize;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The public pages. Each is rendered once per content change and then served from
 * {@link PageCache} with an ETag and Last-Modified, so repeat visitors get a 304.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class SitePages {

	static final String HTML = "text/html;charset=UTF-8";

	private final ContentCatalog catalog;

	private final PageCache cache;

	private final Templates templates;

	private final SiteUrls urls;

	private final SiteSettings settings;

	private final StructuredData structuredData;

	private final Documents documents;

	SitePages(ContentCatalog catalog, PageCache cache, Templates templates, SiteUrls urls, SiteSettings settings,
			StructuredData structuredData, Documents documents) {
		this.documents = documents;
		this.catalog = catalog;
		this.cache = cache;
		this.templates = templates;
		this.urls = urls;
		this.settings = settings;
		this.structuredData = structuredData;
	}

	@GetMapping("/")
	ResponseEntity<byte[]> home(HttpServletRequest request) {
		return page(request, (base, profile) -> {
			PageMeta meta = new PageMeta(
					profile.name() + (profile.headline().isEmpty() ? "" : " · " + profile.headline()),
					profile.headline(), base + "/", PageMeta.Type.PROFILE,
					this.documents.homeCard(profile).map((path) -> base + path).orElseGet(() -> defaultCard(base)),
					this.structuredData.person(profile, base));
			return Optional.of(this.templates.home(frame(base, Section.HOME, profile), meta, profile,
					this.catalog.featuredProjects(3), this.catalog.latest(EntryKind.ARTICLE, 5)));
		});
	}

	@GetMapping("/projects")
	ResponseEntity<byte[]> projects(HttpServletRequest request) {
		return page(request, (base, profile) -> {
			PageMeta meta = PageMeta.website("Projects · " + profile.name(), "Projects by " + profile.name(),
					base + "/projects", defaultCard(base));
			return Optional.of(this.templates.entries(frame(base, Section.PROJECTS, profile), meta, "Projects",
					this.catalog.entries(EntryKind.PROJECT), 1, 1, "/projects"));
		});
	}

	@GetMapping("/articles")
	ResponseEntity<byte[]> articles(HttpServletRequest request, @RequestParam(defaultValue = "1") String page) {
		int number = pageNumber(page);
		return page(request, (base, profile) -> {
			ContentCatalog.EntryPage entries = this.catalog.page(EntryKind.ARTICLE, number, this.settings.pageSize());
			if (number > entries.pages()) {
				return Optional.empty();
			}
			String canonical = base + "/articles" + ((number > 1) ? "?page=" + number : "");
			PageMeta meta = PageMeta.website(
					"Articles" + ((number > 1) ? " (page " + number + ")" : "") + " · " + profile.name(),
					"Articles by " + profile.name(), canonical, defaultCard(base));
			return Optional.of(this.templates.entries(frame(base, Section.ARTICLES, profile), meta, "Articles",
					entries.entries(), number, entries.pages(), "/articles"));
		});
	}

	@GetMapping("/projects/{slug}")
	ResponseEntity<byte[]> project(HttpServletRequest request, @PathVariable String slug) {
		return entry(request, EntryKind.PROJECT, slug);
	}

	@GetMapping("/articles/{slug}")
	ResponseEntity<byte[]> article(HttpServletRequest request, @PathVariable String slug) {
		return entry(request, EntryKind.ARTICLE, slug);
	}

	@GetMapping("/tags")
	ResponseEntity<byte[]> tags(HttpServletRequest request) {
		return page(request, (base, profile) -> {
			PageMeta meta = PageMeta.website("Tags · " + profile.name(), "Everything by topic", base + "/tags",
					defaultCard(base));
			return Optional.of(this.templates.tags(frame(base, Section.TAGS, profile), meta, this.catalog.tags()));
		});
	}

	@GetMapping("/tags/{tag}")
	ResponseEntity<byte[]> tag(HttpServletRequest request, @PathVariable String tag) {
		return page(request, (base, profile) -> {
			List<Entry> entries = this.catalog.tagged(tag);
			if (entries.isEmpty()) {
				return Optional.empty();
			}
			PageMeta meta = PageMeta.website("Tagged " + tag + " · " + profile.name(),
					"Projects and articles tagged " + tag, base + "/tags/" + tag, defaultCard(base));
			return Optional.of(this.templates.entries(frame(base, Section.TAGS, profile), meta, "Tagged “" + tag + "”",
					entries, 1, 1, "/tags/" + tag));
		});
	}

	@GetMapping("/resume")
	ResponseEntity<byte[]> resume(HttpServletRequest request) {
		return page(request, (base, profile) -> {
			PageMeta meta = new PageMeta("Résumé · " + profile.name(), "The résumé of " + profile.name(),
					base + "/resume", PageMeta.Type.PROFILE, defaultCard(base),
					this.structuredData.person(profile, base));
			boolean pdf = this.documents.hasResume(PaperSize.A4);
			boolean letter = this.documents.hasResume(PaperSize.LETTER);
			return Optional.of(this.templates.resume(frame(base, Section.RESUME, profile), meta, profile, pdf, letter));
		});
	}

	/**
	 * An entry's page; at an address the entry had before its slug changed, or at its own
	 * written with capitals, a permanent redirect to where it is now. The redirect is
	 * revalidated each time, not kept: the owner may give the address to another entry,
	 * or back to this one.
	 */
	private ResponseEntity<byte[]> entry(HttpServletRequest request, EntryKind kind, String slug) {
		return cached(request, (base, profile) -> this.catalog.entry(kind, slug).map((entry) -> {
			String jsonLd = (kind == EntryKind.ARTICLE) ? this.structuredData.article(entry, profile, base) : null;
			String card = this.documents.card(entry, profile)
				.map((path) -> base + path)
				.orElseGet(() -> defaultCard(base));
			PageMeta meta = new PageMeta(entry.title() + " · " + profile.name(), entry.summary(), base + entry.path(),
					(kind == EntryKind.ARTICLE) ? PageMeta.Type.ARTICLE : PageMeta.Type.WEBSITE, card, jsonLd);
			return this.templates.entry(frame(base, Section.of(kind), profile), meta, entry, profile);
		})).map(SitePages::send)
			.or(() -> whereNow(kind, slug)
				// the query as it came: URI refuses some a browser sends (a bare '%');
				// Tomcat refused control characters already
				.map((path) -> ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY)
					.header(HttpHeaders.LOCATION,
							path + ((request.getQueryString() != null) ? "?" + request.getQueryString() : ""))
					.cacheControl(CacheControl.noCache())
					.<byte[]>build()))
			.orElseThrow(SitePages::notFound);
	}

	/**
	 * Where a public entry is now that this address names otherwise: an old address of
	 * it, or its own (or an old one) with capitals, as a link written by hand may have
	 * it; slugs are lower-case.
	 */
	private Optional<String> whereNow(EntryKind kind, String slug) {
		String lower = slug.toLowerCase(Locale.ROOT);
		return this.catalog.movedTo(kind, slug)
			.or(() -> lower.equals(slug) ? Optional.empty()
					: this.catalog.entry(kind, lower).map(Entry::path).or(() -> this.catalog.movedTo(kind, lower)));
	}

	/**
	 * A page from the cache, or rendered with the profile read once for all its parts.
	 */
	private ResponseEntity<byte[]> page(HttpServletRequest request, PageRender render) {
		return send(cached(request, render).orElseThrow(SitePages::notFound));
	}

	private Optional<PageCache.CachedPage> cached(HttpServletRequest request, PageRender render) {
		String base = this.urls.base(request);
		return this.cache.get(this.urls.cacheKey(request), SiteUrls.uriTemplate(request), HTML,
				() -> render.render(base, profile()));
	}

	private static ResponseStatusException notFound() {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no page at this address.");
	}

	/** Conditional GETs are answered with 304 by Spring MVC from these headers. */
	static ResponseEntity<byte[]> send(PageCache.CachedPage page) {
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.header("Content-Type", page.contentType())
			.cacheControl(CacheControl.noCache())
			.eTag(page.etag());
		page.lastModified().ifPresent(response::lastModified);
		return response.body(page.body());
	}

	Frame frame(String base, Section section) {
		return frame(base, section, profile());
	}

	private Frame frame(String base, Section section, Profile profile) {
		return new Frame(profile.name(), base, section, this.catalog.hasDemoContent(), profile.linkList(),
				Assets.url("css/site.css"));
	}

	private Profile profile() {
		return this.catalog.profile().orElseGet(() -> Profile.builder().name("Portfolio").build());
	}

	/** The site's own card, for pages without one and until a worker renders theirs. */
	String defaultCard(String base) {
		return base + Assets.url("images/card.png");
	}

	private interface PageRender {

		/** The page's HTML, or empty for "no such page". */
		Optional<String> render(String base, Profile profile);

	}

	private static int pageNumber(String page) {
		try {
			int number = Integer.parseInt(page);
			if (number >= 1) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page must be a whole number from 1 up");
	}

}
