package dev.vitrine.site;

import dev.vitrine.content.MediaFile;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Uploaded images from PostgreSQL, to anyone while public content shows them, else to the
 * signed-in owner only (a draft's images, unused ones). Caches revalidate each use
 * (cheaply: the ETag is the content's hash), so an image stops being served when the
 * content showing it is unpublished.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class MediaController {

	private final MediaLibrary library;

	MediaController(MediaLibrary library) {
		this.library = library;
	}

	@GetMapping("/media/{id:\\d+}/thumbnail")
	ResponseEntity<byte[]> thumbnail(@PathVariable long id, HttpServletRequest request) {
		CacheControl cache = visibility(id, request);
		MediaFile file = this.library.thumbnail(id).or(() -> this.library.file(id)).orElseThrow(MediaController::none);
		return send(file, cache);
	}

	@GetMapping("/media/{id:\\d+}/{name}")
	ResponseEntity<byte[]> original(@PathVariable long id, HttpServletRequest request) {
		CacheControl cache = visibility(id, request);
		return send(this.library.file(id).orElseThrow(MediaController::none), cache);
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

	private static ResponseEntity<byte[]> send(MediaFile file, CacheControl cache) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, file.contentType())
			.header(HttpHeaders.CONTENT_DISPOSITION, "inline")
			.cacheControl(cache)
			.eTag(file.etag())
			.body(file.bytes());
	}

}
