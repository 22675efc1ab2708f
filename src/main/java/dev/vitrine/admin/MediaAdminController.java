package dev.vitrine.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.vitrine.content.InvalidMediaException;
import dev.vitrine.content.Media;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import gg.jte.generated.precompiled.admin.JtemediaGenerated;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Uploading images, listing them with the Markdown to use them, deleting them. */
@Controller
@RequestMapping("/admin/media")
@ConditionalOnRole(Role.WEB)
class MediaAdminController {

	private final MediaLibrary library;

	MediaAdminController(MediaLibrary library) {
		this.library = library;
	}

	@GetMapping
	HtmlPage list(CsrfToken csrf, HttpServletRequest request) {
		return page(csrf, Flash.notice(request), null);
	}

	@PostMapping
	View upload(@RequestParam(required = false) MultipartFile file, CsrfToken csrf, HttpServletResponse response,
			RedirectAttributes redirect) throws IOException {
		if (file == null || file.isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(csrf, null, "Choose an image file to upload.");
		}
		try {
			// the request may be four times the image's limit: not read when it is over
			MediaLibrary.checkSize(file.getSize());
			Media media = this.library.store(file.getOriginalFilename(), file.getBytes());
			redirect.addFlashAttribute(Flash.NOTICE,
					"Uploaded " + media.fileName() + ". Use it in Markdown as ![description](" + media.path() + ").");
			return Flash.redirect("/admin/media");
		}
		catch (InvalidMediaException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(csrf, null, ex.getMessage());
		}
	}

	@PostMapping("/{id:\\d+}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		List<String> shownBy = this.library.usedBy(id);
		this.library.delete(id);
		redirect.addFlashAttribute(Flash.NOTICE,
				shownBy.isEmpty() ? "Image deleted; nothing showed it." : "Image deleted. " + String.join(", ", shownBy)
						+ " showed it, and now show a broken image where it was: edit them.");
		return "redirect:/admin/media";
	}

	private HtmlPage page(CsrfToken csrf, String notice, String problem) {
		List<Media> media = this.library.list();
		Map<Long, List<String>> shownBy = this.library.usedBy();
		int maxMegabytes = MediaLibrary.MAX_BYTES / (1024 * 1024);
		return HtmlPage
			.of((out) -> JtemediaGenerated.render(out, null, csrf, notice, media, shownBy, problem, maxMegabytes));
	}

}
