package dev.vitrine.site;

import java.time.Duration;

import dev.vitrine.content.MediaFile;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Uploaded images from PostgreSQL. An id's bytes never change, so they are cached for a
 * year; the thumbnail may appear later, so it is revalidated.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class MediaController {

	private final MediaLibrary library;

	MediaController(MediaLibrary library) {
		this.library = library;
	}

	@GetMapping("/media/{id:\\d+}/thumbnail")
	ResponseEntity<byte[]> thumbnail(@PathVariable long id) {
		MediaFile file = this.library.thumbnail(id)
			.or(() -> this.library.file(id))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such image"));
		return send(file, CacheControl.noCache());
	}

	@GetMapping("/media/{id:\\d+}/{name}")
	ResponseEntity<byte[]> original(@PathVariable long id) {
		MediaFile file = this.library.file(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such image"));
		return send(file, CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
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
