package dev.vitrine.documents;

import java.util.Locale;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.EntryKind;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import dev.vitrine.rendering.PaperSize;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Serves what the worker rendered: {@code /resume.pdf} (A4), {@code /resume-letter.pdf},
 * and the social cards under {@code /cards/}. The last good file is served even while a
 * newer one is being made; its ETag is its content hash, so clients revalidate cheaply.
 * The web role never starts a browser: until a worker has rendered a file, it is a 404.
 */
@Controller
@ConditionalOnRole(Role.WEB)
class DocumentController {

	private final DocumentFiles files;

	private final ContentCatalog catalog;

	DocumentController(DocumentFiles files, ContentCatalog catalog) {
		this.files = files;
		this.catalog = catalog;
	}

	@GetMapping("/resume.pdf")
	ResponseEntity<byte[]> resumeA4() {
		return serve(DocumentFiles.resumeName(PaperSize.A4));
	}

	@GetMapping("/resume-letter.pdf")
	ResponseEntity<byte[]> resumeLetter() {
		return serve(DocumentFiles.resumeName(PaperSize.LETTER));
	}

	@GetMapping("/cards/home.png")
	ResponseEntity<byte[]> homeCard() {
		return serve(new Card.Home().name());
	}

	@GetMapping("/cards/{section:projects|articles}/{slug}.png")
	ResponseEntity<byte[]> card(@PathVariable String section, @PathVariable String slug) {
		EntryKind kind = EntryKind.fromSection(section);
		// an unpublished entry's card says what it was: gone with it
		if (this.catalog.entry(kind, slug).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such " + kind.name().toLowerCase(Locale.ROOT));
		}
		return serve(new Card.OfEntry(kind, slug).name());
	}

	private ResponseEntity<byte[]> serve(String name) {
		DocumentFiles.RenderedFile file = this.files.find(name)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"Not rendered yet: a worker with Chromium makes it after the content is published"));
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, file.contentType())
			.header(HttpHeaders.CONTENT_DISPOSITION, "inline")
			.cacheControl(CacheControl.noCache())
			.eTag("\"" + file.sha256().substring(0, 24) + "\"")
			.body(file.bytes());
	}

}
