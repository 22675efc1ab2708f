package dev.vitrine.admin;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The rule for the owner's password, wherever one is set: the first-start setting, the
 * setup link's form and {@code owner reset-password}. The password is kept as a bcrypt
 * hash, and bcrypt reads at most 72 bytes (Spring Security's encoder refuses more rather
 * than ignore the rest), so the upper limit is in bytes of UTF-8: 72 ASCII characters,
 * fewer with accented letters (2 bytes each) or most other scripts (3 or 4).
 */
final class OwnerPassword {

	static final int MIN_CHARACTERS = 10;

	static final int MAX_BYTES = 72;

	private OwnerPassword() {
	}

	/**
	 * What is wrong with the password, as what it must be (e.g. {@code must be at least
	 * 10 characters}), or empty when it may be used.
	 */
	static Optional<String> problem(String password) {
		if (password.length() < MIN_CHARACTERS) {
			return Optional.of("must be at least " + MIN_CHARACTERS + " characters");
		}
		// not how far over: the message may reach a log, and the length is a hint
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			return Optional.of("must be at most " + MAX_BYTES + " bytes in UTF-8 (" + MAX_BYTES
					+ " ASCII characters, fewer with accents or other scripts), the most bcrypt hashes");
		}
		return Optional.empty();
	}

}
