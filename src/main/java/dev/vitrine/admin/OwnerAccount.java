package dev.vitrine.admin;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import dev.vitrine.ops.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;

/** The one owner account: created at first start or through a one-time setup link. */
class OwnerAccount implements UserDetailsService {

	private static final Logger log = LoggerFactory.getLogger(OwnerAccount.class);

	static final Duration SETUP_LINK_VALIDITY = Duration.ofHours(24);

	/**
	 * Which names sign in to an account: its e-mail in any case, as the database's
	 * lower() folds it. The sign-in throttle counts by the same match.
	 */
	static final String NAME_MATCHES = "lower(email) = lower(?)";

	private final JdbcClient jdbc;

	private final PasswordEncoder passwords;

	private final SecureRandom random = new SecureRandom();

	OwnerAccount(JdbcClient jdbc, PasswordEncoder passwords) {
		this.jdbc = jdbc;
		this.passwords = passwords;
	}

	boolean exists() {
		return this.jdbc.sql("SELECT count(*) FROM admin_user").query(Long.class).single() > 0;
	}

	/**
	 * Creates the account from the settings, or, without them, returns a new one-time
	 * setup token (only its hash is stored). The new token replaces any earlier one: only
	 * the link in the latest log works.
	 */
	@Transactional
	Optional<String> createOrOfferSetup(AdminSettings settings) {
		lockAccounts();
		if (exists()) {
			return Optional.empty();
		}
		if (settings.isComplete()) {
			create(settings.email(), settings.password());
			log.info("Admin: owner account {} created from VITRINE_ADMIN_EMAIL", settings.email());
			return Optional.empty();
		}
		byte[] bytes = new byte[24];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		// replicas starting together took turns (the lock above), so one token is left
		this.jdbc.sql("DELETE FROM admin_setup_token").update();
		this.jdbc.sql("INSERT INTO admin_setup_token (token_hash, expires_at) VALUES (?, ?)")
			.params(hash(token), Timestamp.from(Instant.now().plus(SETUP_LINK_VALIDITY)))
			.update();
		return Optional.of(token);
	}

	boolean isValidSetupToken(String token) {
		return token != null && !exists()
				&& this.jdbc.sql("SELECT count(*) FROM admin_setup_token WHERE token_hash = ? AND expires_at > now()")
					.param(hash(token))
					.query(Long.class)
					.single() > 0;
	}

	/**
	 * Creates the account with a valid setup token, which (with every other) stops
	 * working.
	 */
	@Transactional
	boolean createWithSetupToken(String token, String email, String password) {
		// checked before the lock too: a stranger's send takes no lock
		if (!isValidSetupToken(token)) {
			return false;
		}
		lockAccounts();
		if (!isValidSetupToken(token)) {
			return false;
		}
		create(email, password);
		this.jdbc.sql("DELETE FROM admin_setup_token").update();
		log.info("Admin: owner account {} created through the setup link", email);
		return true;
	}

	/**
	 * Gives the owner a new password, ends every session signed in as the owner and
	 * clears sign-in throttling for everyone; empty when there is no account yet. Call in
	 * a transaction.
	 */
	Optional<PasswordReset> resetPassword(String password) {
		Optional<String> email = this.jdbc.sql("SELECT email FROM admin_user ORDER BY id LIMIT 1 FOR UPDATE")
			.query(String.class)
			.optional();
		if (email.isEmpty()) {
			return Optional.empty();
		}
		this.jdbc.sql("UPDATE admin_user SET password_hash = ? WHERE email = ?")
			.params(this.passwords.encode(password), email.get())
			.update();
		int sessions = this.jdbc.sql("DELETE FROM spring_session WHERE lower(principal_name) = lower(?)")
			.param(email.get())
			.update();
		int failures = this.jdbc.sql("DELETE FROM login_failure").update();
		return Optional.of(new PasswordReset(email.get(), sessions, failures));
	}

	/**
	 * What a password reset did.
	 *
	 * @param email the owner's account
	 * @param sessionsEnded sessions signed in as the owner, now signed out
	 * @param failuresCleared failed sign-ins forgotten (of every address)
	 */
	record PasswordReset(String email, int sessionsEnded, int failuresCleared) {
	}

	@Override
	public UserDetails loadUserByUsername(String email) {
		return this.jdbc.sql("SELECT email, password_hash FROM admin_user WHERE " + NAME_MATCHES)
			.param(email)
			.query((rs, row) -> User.withUsername(rs.getString(1)).password(rs.getString(2)).roles("OWNER").build())
			.optional()
			.orElseThrow(() -> new UsernameNotFoundException("no such account"));
	}

	/**
	 * Makes the transactions that may create the account take turns until they end, so
	 * that each sees whether the one before made it: two sends of a setup link at once,
	 * with two addresses, made two owners. Sign-ins read on meanwhile.
	 */
	private void lockAccounts() {
		this.jdbc.sql("LOCK TABLE admin_user IN SHARE ROW EXCLUSIVE MODE").update();
	}

	private void create(String email, String password) {
		this.jdbc.sql("INSERT INTO admin_user (email, password_hash) VALUES (?, ?)")
			.params(email.strip(), this.passwords.encode(password))
			.update();
	}

	private static String hash(String token) {
		return Sha256.hex(token.getBytes(StandardCharsets.UTF_8));
	}

}
