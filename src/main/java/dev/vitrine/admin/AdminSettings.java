package dev.vitrine.admin;

import java.util.Optional;

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
		return given(this.email) && given(this.password);
	}

	/**
	 * What to tell an owner who set one of the two without the other, which creates no
	 * account; empty when both or neither are set.
	 */
	Optional<String> halfGiven() {
		if (given(this.email) == given(this.password)) {
			return Optional.empty();
		}
		String set = given(this.email) ? "VITRINE_ADMIN_EMAIL" : "VITRINE_ADMIN_PASSWORD";
		String unset = given(this.email) ? "VITRINE_ADMIN_PASSWORD" : "VITRINE_ADMIN_EMAIL";
		return Optional.of(set + " is set but " + unset + " is not: the owner account is made from both, so it was"
				+ " not; set " + unset + " too, or use the setup link");
	}

	private static boolean given(String value) {
		return value != null && !value.isBlank();
	}

}
