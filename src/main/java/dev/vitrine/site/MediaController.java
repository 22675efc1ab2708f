package dev.vitrine.site;

import java.io.IOException;
import java.util.Optional;

import dev.vitrine.content.MediaFile;
import dev.vitrine.content.MediaHead;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.server.ResponseStatusException;

/**
 * Uploaded images from PostgreSQL, to anyone while public content shows them, else to the
 * signed-in owner only (a draft's images, unused ones). Caches revalidate each use
 * (cheaply: the ETag is the content's hash), so an image stops being served when the
 * content showing it is unpublished. An original is streamed from the database a chunk at
 * a time ({@link MediaLibrary#copy}), never held whole.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class MediaController {

	private static final Logger log = LoggerFactory.getLogger(MediaController.class);

	private final MediaLibrary library;

	MediaController(MediaLibrary library) {
		this.library = library;
	}

	@GetMapping("/media/{id:\\d+}/thumbnail")
	void thumbnail(@PathVariable long id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		CacheControl cache = visibility(id, request);
		Optional<MediaFile> thumbnail = this.library.thumbnail(id);
		if (thumbnail.isEmpty()) {
			// the job has not made it yet, or cannot (WebP)
			original(id, cache, request, response);
			return;
		}
		MediaFile file = thumbnail.get();
		if (describe(request, response, cache, file.etag(), file.contentType(), file.bytes().length)) {
			response.getOutputStream().write(file.bytes());
		}
	}

	@GetMapping("/media/{id:\\d+}/{name}")
	void original(@PathVariable long id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		original(id, visibility(id, request), request, response);
	}

	private void original(long id, CacheControl cache, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		MediaHead head = this.library.head(id).orElseThrow(MediaController::none);
		if (!describe(request, response, cache, head.etag(), head.contentType(), head.size())) {
			return;
		}
		boolean whole;
		try {
			whole = this.library.copy(head, response.getOutputStream());
		}
		catch (RuntimeException ex) {
			// the error page must not go out with the image's headers
			if (!response.isCommitted()) {
				response.reset();
			}
			throw ex;
		}
		if (whole) {
			return;
		}
		if (!response.isCommitted()) {
			// gone before its first byte was sent
			response.reset();
			throw none();
		}
		// replaced or deleted partway: a normal end would leave the
		// client waiting for the length it was told
		log.info("Media {} changed while it was sent: the connection is closed short of its length", id);
		throw new IOException("media " + id + " changed while it was sent");
	}

	/**
	 * Sets the headers; answers a revalidation that still matches with 304.
	 * @return whether the body is to be written
	 */
	private static boolean describe(HttpServletRequest request, HttpServletResponse response, CacheControl cache,
			String etag, String contentType, long length) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, cache.getHeaderValue());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "inline");
		if (new ServletWebRequest(request, response).checkNotModified(etag)) {
			return false;
		}
		response.setContentType(contentType);
		response.setContentLengthLong(length);
		return !"HEAD".equals(request.getMethod());
	}

	/**
	 * How the image may be cached for this request: shared caches may keep a public one,
	 * the owner's browser alone one shown by no public content (a 404 to anyone else).
	 */
	private CacheControl visibility(long id, HttpServletRequest request) {
		if (this.library.isPublic(id)) {
			return CacheControl.noCache().cachePublic();
		}
		if (request.isUserInRole("OWNER")) {
			return CacheControl.noCache().cachePrivate();
		}
		throw none();
	}

	private static ResponseStatusException none() {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No such image");
	}

}
