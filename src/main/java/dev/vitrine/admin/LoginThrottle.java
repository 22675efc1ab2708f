package dev.vitrine.admin;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The login rate limit: after too many failed sign-ins from one client address, or for
 * one account, within a window, further attempts are refused with 429 before the password
 * is even checked. A successful sign-in clears that address's and account's count.
 * Counted in PostgreSQL, so every replica applies the same limit.
 */
class LoginThrottle extends OncePerRequestFilter {

	static final int MAX_FAILURES_PER_ADDRESS = 10;

	static final int MAX_FAILURES_PER_ACCOUNT = 20;

	static final Duration WINDOW = Duration.ofMinutes(15);

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final JdbcClient jdbc;

	LoginThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String address = addressKey(request.getRemoteAddr());
		String username = request.getParameter("username");
		boolean blocked = failures(address) >= MAX_FAILURES_PER_ADDRESS
				|| (username != null && failures(accountKey(username)) >= MAX_FAILURES_PER_ACCOUNT);
		if (blocked) {
			log.warn("Login: refused a sign-in from {} after too many failures", request.getRemoteAddr());
			response.setHeader("Retry-After", String.valueOf(WINDOW.toSeconds()));
			response.sendError(HttpStatus.TOO_MANY_REQUESTS.value(),
					"Too many failed sign-ins. Try again in " + WINDOW.toMinutes() + " minutes.");
			return;
		}
		chain.doFilter(request, response);
	}

	@EventListener
	void on(AbstractAuthenticationFailureEvent failure) {
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.sql("DELETE FROM login_failure WHERE failed_at < ?")
			.param(Timestamp.from(Instant.now().minus(WINDOW)))
			.update();
		if (failure.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
			record(addressKey(details.getRemoteAddress()), now);
		}
		record(accountKey(failure.getAuthentication().getName()), now);
	}

	@EventListener
	void on(AuthenticationSuccessEvent success) {
		this.jdbc.sql("DELETE FROM login_failure WHERE key = ?")
			.param(accountKey(success.getAuthentication().getName()))
			.update();
		if (success.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
			this.jdbc.sql("DELETE FROM login_failure WHERE key = ?")
				.param(addressKey(details.getRemoteAddress()))
				.update();
		}
	}

	private void record(String key, Timestamp at) {
		this.jdbc.sql("INSERT INTO login_failure (key, failed_at) VALUES (?, ?)").params(key, at).update();
	}

	private int failures(String key) {
		return this.jdbc.sql("SELECT count(*) FROM login_failure WHERE key = ? AND failed_at > ?")
			.params(key, Timestamp.from(Instant.now().minus(WINDOW)))
			.query(Integer.class)
			.single();
	}

	private static String addressKey(String address) {
		return "address:" + address;
	}

	private static String accountKey(String username) {
		return "account:" + String.valueOf(username).strip().toLowerCase(Locale.ROOT);
	}

}
