package dev.vitrine.admin;

import java.io.IOException;

import dev.vitrine.content.InvalidMediaException;
import dev.vitrine.content.Media;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
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

	@ModelAttribute("csrf")
	CsrfToken csrf(CsrfToken csrf) {
		return csrf;
	}

	@GetMapping
	String list(Model model) {
		return page(model, null);
	}

	@PostMapping
	String upload(@RequestParam(required = false) MultipartFile file, Model model, HttpServletResponse response,
			RedirectAttributes redirect) throws IOException {
		if (file == null || file.isEmpty()) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(model, "Choose an image file to upload.");
		}
		try {
			Media media = this.library.store(file.getOriginalFilename(), file.getBytes());
			redirect.addFlashAttribute("notice",
					"Uploaded " + media.fileName() + ". Use it in Markdown as ![description](" + media.path() + ").");
			return "redirect:/admin/media";
		}
		catch (InvalidMediaException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			return page(model, ex.getMessage());
		}
	}

	@PostMapping("/{id:\\d+}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		this.library.delete(id);
		redirect.addFlashAttribute("notice", "Image deleted. Pages that show it now show a broken image.");
		return "redirect:/admin/media";
	}

	private String page(Model model, String problem) {
		model.addAttribute("media", this.library.list());
		model.addAttribute("problem", problem);
		model.addAttribute("maxMegabytes", MediaLibrary.MAX_BYTES / (1024 * 1024));
		return "admin/media";
	}

}
