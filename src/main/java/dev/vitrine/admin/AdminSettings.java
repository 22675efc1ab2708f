package dev.vitrine.admin;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The owner account created at first start ({@code VITRINE_ADMIN_EMAIL},
 * {@code VITRINE_ADMIN_PASSWORD}). Without them, the log prints a one-time setup link
 * instead. Once an account exists they are not read again.
 */
@ConfigurationProperties("vitrine.admin")
record AdminSettings(String email, String password) {

	AdminSettings {
		if (email != null && !email.isBlank() && !email.strip().matches("[^@\\s]+@[^@\\s]+")) {
			throw Setting.of("vitrine.admin.email").invalid("'" + email + "' is not an e-mail address");
		}
		if (password != null && !password.isBlank()) {
			OwnerPassword.problem(password).ifPresent((problem) -> {
				throw Setting.of("vitrine.admin.password").invalid(problem);
			});
		}
	}

	boolean isComplete() {
		return this.email != null && !this.email.isBlank() && this.password != null && !this.password.isBlank();
	}

}
