package dev.vitrine.admin;

import java.util.Optional;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import gg.jte.generated.precompiled.JteloginGenerated;
import gg.jte.generated.precompiled.JtesetupGenerated;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.View;

/** The login page and the one-time setup of the owner account. */
@Controller
@ConditionalOnRole({ Role.WEB, Role.MONITOR })
class LoginController {

	private final OwnerAccount owner;

	LoginController(OwnerAccount owner) {
		this.owner = owner;
	}

	@GetMapping("/login")
	HtmlPage login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
			@RequestParam(required = false) String created, CsrfToken csrf) {
		String message = (error != null) ? "Wrong email or password." : (logout != null) ? "Signed out."
				: (created != null) ? "The owner account is made: sign in with its email and password." : null;
		return HtmlPage.of((out) -> JteloginGenerated.render(out, null, csrf, message));
	}

	@GetMapping("/admin/setup")
	HtmlPage setup(@RequestParam(required = false) String token, CsrfToken csrf) {
		if (!this.owner.isValidSetupToken(token)) {
			throw new SetupLinkInvalid();
		}
		return setupForm(csrf, token, "", null);
	}

	@PostMapping("/admin/setup")
	View createOwner(@RequestParam String token, @RequestParam String email, @RequestParam String password,
			@RequestParam String confirm, CsrfToken csrf, HttpServletResponse response) {
		String problem = null;
		Optional<String> weak = OwnerPassword.problem(password);
		if (!email.matches("[^@\\s]+@[^@\\s]+")) {
			problem = "Enter an email address.";
		}
		else if (weak.isPresent()) {
			problem = "The password " + weak.get() + ".";
		}
		else if (!password.equals(confirm)) {
			problem = "The passwords do not match.";
		}
		if (problem != null) {
			response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
			return setupForm(csrf, token, email, problem);
		}
		if (!this.owner.createWithSetupToken(token, email, password)) {
			throw new SetupLinkInvalid();
		}
		// a parameter, not a flash attribute: a visitor has no session to keep one in
		return Flash.redirect("/login?created");
	}

	private static HtmlPage setupForm(CsrfToken csrf, String token, String email, String problem) {
		return HtmlPage.of((out) -> JtesetupGenerated.render(out, null, csrf, token, email, problem));
	}

	@ResponseStatus(code = HttpStatus.NOT_FOUND,
			reason = "This setup link is unknown, expired or already used; an owner account may exist already")
	static class SetupLinkInvalid extends RuntimeException {

	}

}
