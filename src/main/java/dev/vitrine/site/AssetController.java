package dev.vitrine.site;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * Serves {@link Assets}: immutable for a year, brotli or gzip by Accept-Encoding, with
 * {@code Vary: Accept-Encoding} so shared caches keep the variants apart. Also the icon
 * at {@code /favicon.ico}, in every process that serves pages.
 */
@Controller
class AssetController {

	private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	/** Its URL does not change with its content, so it is revalidated by ETag. */
	private static final CacheControl A_WEEK = CacheControl.maxAge(Duration.ofDays(7)).cachePublic();

	private static final String FAVICON = "images/favicon.ico";

	@GetMapping(Assets.PREFIX + "**")
	ResponseEntity<byte[]> asset(HttpServletRequest request) {
		Assets.Asset asset = Assets.find(request.getRequestURI())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such asset"));
		String accepted = String.valueOf(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, asset.contentType())
			.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
			.cacheControl(FOREVER);
		if (asset.brotli() != null && accepts(accepted, "br")) {
			return response.header(HttpHeaders.CONTENT_ENCODING, "br").body(asset.brotli());
		}
		if (asset.gzip() != null && accepts(accepted, "gzip")) {
			return response.header(HttpHeaders.CONTENT_ENCODING, "gzip").body(asset.gzip());
		}
		return response.body(asset.bytes());
	}

	/**
	 * Pages link the hashed icons; browsers, feed readers and crawlers still ask here.
	 */
	@GetMapping("/favicon.ico")
	ResponseEntity<byte[]> favicon() {
		String url = Assets.url(FAVICON);
		Assets.Asset icon = Assets.find(url).orElseThrow();
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, icon.contentType())
			.cacheControl(A_WEEK)
			.eTag(url.substring(url.lastIndexOf('/') + 1))
			.body(icon.bytes());
	}

	private static boolean accepts(String acceptEncoding, String coding) {
		for (String part : acceptEncoding.split(",")) {
			String[] pieces = part.strip().split(";");
			if (pieces[0].strip().equalsIgnoreCase(coding)) {
				return pieces.length < 2 || !pieces[1].replace(" ", "").matches("q=0(\\.0*)?");
			}
		}
		return false;
	}

}
