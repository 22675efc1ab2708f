package dev.vitrine.site;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.vitrine.ops.SecurityHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The fast path for public pages: a GET for a page already in {@link PageCache} is
 * answered here, before sessions, security and MVC, with the same headers those would
 * have set (ETag, Last-Modified, {@code no-cache}, and the security headers). Anything
 * else, including the first request for a page, goes the normal way and fills the cache.
 */
class CachedPageFilter extends OncePerRequestFilter {

	private final PageCache cache;

	private final SiteUrls urls;

	private final String hsts;

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	CachedPageFilter(PageCache cache, SiteUrls urls, Duration hstsMaxAge, MeterRegistry registry) {
		this.cache = cache;
		this.urls = urls;
		this.registry = registry;
		this.hsts = hstsMaxAge.isZero() ? null : "max-age=" + hstsMaxAge.toSeconds() + " ; includeSubDomains";
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean head = "HEAD".equals(request.getMethod());
		PageCache.CachedPage page = ((head || "GET".equals(request.getMethod())) && asNormalised(request))
				? this.cache.peek(this.urls.cacheKey(request)).orElse(null) : null;
		if (page == null) {
			chain.doFilter(request, response);
			return;
		}
		long start = System.nanoTime();
		int status = serve(request, response, page, head);
		timer(request.getMethod(), page.uriTemplate(), status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	/**
	 * Whether the request's path came as it is looked up: the raw URI is the decoded,
	 * normalised path. This filter runs ahead of Spring Security's firewall, which
	 * refuses {@code ;}, {@code //}, dot segments and encoded slashes with a 400, so
	 * answering such a URL from the cache would give it a status that depends on whether
	 * its page was cached. Anything else (a percent-encoded letter too) goes the normal
	 * way, which answers it the same every time. Compared in place, without building a
	 * string: this runs on every request.
	 */
	private static boolean asNormalised(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		String servletPath = request.getServletPath();
		String pathInfo = request.getPathInfo();
		int length = context.length() + servletPath.length() + ((pathInfo != null) ? pathInfo.length() : 0);
		return uri.length() == length && uri.startsWith(context) && uri.startsWith(servletPath, context.length())
				&& (pathInfo == null || uri.startsWith(pathInfo, context.length() + servletPath.length()));
	}

	private int serve(HttpServletRequest request, HttpServletResponse response, PageCache.CachedPage page, boolean head)
			throws IOException {
		response.setHeader(HttpHeaders.ETAG, page.etag());
		page.lastModified()
			.ifPresent((modified) -> response.setDateHeader(HttpHeaders.LAST_MODIFIED, modified.toEpochMilli()));
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		SecurityHeaders.writeTo(response);
		if (this.hsts != null && request.isSecure()) {
			response.setHeader("Strict-Transport-Security", this.hsts);
		}
		if (notModified(request, page)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return HttpServletResponse.SC_NOT_MODIFIED;
		}
		response.setContentType(page.contentType());
		response.setContentLength(page.body().length);
		if (!head) {
			response.getOutputStream().write(page.body());
		}
		return HttpServletResponse.SC_OK;
	}

	/**
	 * The same meter and tags as Spring's request observation, so dashboards see one
	 * series.
	 */
	private Timer timer(String method, String uri, int status) {
		return this.timers.computeIfAbsent(method + " " + status + " " + uri,
				(key) -> Timer.builder("http.server.requests")
					.tag("error", "none")
					.tag("exception", "none")
					.tag("method", method)
					.tag("outcome", (status < 300) ? "SUCCESS" : "REDIRECTION")
					.tag("status", String.valueOf(status))
					.tag("uri", uri)
					.register(this.registry));
	}

	private static boolean notModified(HttpServletRequest request, PageCache.CachedPage page) {
		String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null) {
			for (String tag : ifNoneMatch.split(",")) {
				String candidate = tag.strip();
				if (candidate.equals("*") || candidate.equals(page.etag()) || candidate.equals("W/" + page.etag())) {
					return true;
				}
			}
			return false;
		}
		long ifModifiedSince;
		try {
			ifModifiedSince = request.getDateHeader(HttpHeaders.IF_MODIFIED_SINCE);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return ifModifiedSince >= 0
				&& page.lastModified().filter((modified) -> modified.toEpochMilli() <= ifModifiedSince).isPresent();
	}

}
