package dev.vitrine.admin;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The owner account created at first start ({@code VITRINE_ADMIN_EMAIL},
 * {@code VITRINE_ADMIN_PASSWORD}). Without them, the log prints a one-time setup link
 * instead. Once an account exists they are not read again.
 */
@ConfigurationProperties("vitrine.admin")
@Validated
record AdminSettings(@Email String email, String password) {

	boolean isComplete() {
		return this.email != null && !this.email.isBlank() && this.password != null && !this.password.isBlank();
	}

	@AssertTrue(message = "must be at least 10 characters")
	boolean isPasswordLongEnough() {
		return this.password == null || this.password.isBlank() || this.password.length() >= 10;
	}

}
