package dev.vitrine.admin;

import dev.vitrine.ops.ConditionalOnRole;
import jakarta.servlet.http.HttpServletResponse;
import dev.vitrine.ops.Role;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The login page and the one-time setup of the owner account. */
@Controller
@ConditionalOnRole({ Role.WEB, Role.MONITOR })
class LoginController {

	private final OwnerAccount owner;

	LoginController(OwnerAccount owner) {
		this.owner = owner;
	}

	@GetMapping("/login")
	String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
			CsrfToken csrf, Model model) {
		model.addAttribute("csrf", csrf);
		model.addAttribute("message",
				(error != null) ? "Wrong email or password." : (logout != null) ? "Signed out." : null);
		return "login";
	}

	@GetMapping("/admin/setup")
	String setup(@RequestParam(required = false) String token, CsrfToken csrf, Model model) {
		if (!this.owner.isValidSetupToken(token)) {
			throw new SetupLinkInvalid();
		}
		return setupForm(token, csrf, model, null, "");
	}

	@PostMapping("/admin/setup")
	String createOwner(@RequestParam String token, @RequestParam String email, @RequestParam String password,
			@RequestParam String confirm, CsrfToken csrf, Model model, HttpServletResponse response) {
		String problem = null;
		if (!email.matches("[^@\\s]+@[^@\\s]+")) {
			problem = "Enter an email address.";
		}
		else if (password.length() < 10) {
			problem = "Use a password of at least 10 characters.";
		}
		else if (!password.equals(confirm)) {
			problem = "The passwords do not match.";
		}
		if (problem != null) {
			response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
			return setupForm(token, csrf, model, problem, email);
		}
		if (!this.owner.createWithSetupToken(token, email, password)) {
			throw new SetupLinkInvalid();
		}
		return "redirect:/login";
	}

	private String setupForm(String token, CsrfToken csrf, Model model, String problem, String email) {
		model.addAttribute("csrf", csrf);
		model.addAttribute("token", token);
		model.addAttribute("problem", problem);
		model.addAttribute("email", email);
		return "setup";
	}

	@ResponseStatus(code = HttpStatus.NOT_FOUND,
			reason = "This setup link is unknown, expired or already used; an owner account may exist already")
	static class SetupLinkInvalid extends RuntimeException {

	}

}
