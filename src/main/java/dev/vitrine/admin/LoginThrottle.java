package dev.vitrine.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.vitrine.ops.ClientNetwork;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The login rate limit, per client address and account together: after
 * {@value #FREE_FAILURES} failed sign-ins, each further attempt waits a delay that
 * doubles with every failure (from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}); until
 * it has passed, the attempt is refused with 429 and {@code Retry-After} before the
 * password is checked. Never per account alone: whoever knows the owner's e-mail could
 * then lock the owner out. A successful sign-in clears that address's count for the
 * account; failures are forgotten after {@link #MEMORY}. Counted in PostgreSQL, so every
 * replica applies the same limit.
 */
class LoginThrottle extends OncePerRequestFilter {

	static final int FREE_FAILURES = 5;

	static final Duration FIRST_DELAY = Duration.ofMinutes(1);

	static final Duration MAX_DELAY = Duration.ofHours(1);

	private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

	static final Duration MEMORY = Duration.ofHours(24);

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	LoginThrottle(JdbcClient jdbc, TransactionTemplate transaction) {
		this.jdbc = jdbc;
		this.transaction = transaction;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String username = request.getParameter("username");
		if (username != null && CONTROL.matcher(username).find()) {
			// no account has one, and PostgreSQL cannot store NUL: a 500 otherwise
			response.sendError(HttpStatus.BAD_REQUEST.value(), "An account name cannot contain control characters.");
			return;
		}
		String key = key(request.getRemoteAddr(), accountOf(username));
		this.jdbc.sql("DELETE FROM login_failure WHERE failed_at < now() - make_interval(secs => ?)")
			.param(MEMORY.toSeconds())
			.update();
		long wait = admit(key);
		if (wait > 0) {
			log.warn("Login: refused a sign-in from {} for {} s after too many failures", request.getRemoteAddr(),
					wait);
			response.setHeader("Retry-After", Long.toString(wait));
			response.sendError(HttpStatus.TOO_MANY_REQUESTS.value(),
					"Too many failed sign-ins from this address. Try again in " + inWords(wait) + ".");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Lets an attempt through, counted as a failure until a success clears it, or returns
	 * the seconds left to wait. Counted before the password is checked, under a lock per
	 * key, so parallel guesses cannot all pass on the same count.
	 */
	long admit(String key) {
		return this.transaction.execute((status) -> admitLocked(key));
	}

	private long admitLocked(String key) {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").param(key).query().singleRow();
		long[] failures = this.jdbc.sql("""
				SELECT count(*), coalesce(extract(epoch FROM now() - max(failed_at)), 0)::bigint
				FROM login_failure
				WHERE key = ? AND failed_at > now() - make_interval(secs => ?)""")
			.params(key, MEMORY.toSeconds())
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
		long wait = delayAfter(failures[0]).toSeconds() - failures[1];
		if (wait > 0) {
			return wait;
		}
		this.jdbc.sql("INSERT INTO login_failure (key) VALUES (?)").param(key).update();
		return 0;
	}

	@EventListener
	void on(AuthenticationSuccessEvent success) {
		if (success.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
			this.jdbc.sql("DELETE FROM login_failure WHERE key = ?")
				.param(key(details.getRemoteAddress(), success.getAuthentication().getName()))
				.update();
		}
	}

	/** The wait after this many failures since the last success. */
	static Duration delayAfter(long failures) {
		if (failures < FREE_FAILURES) {
			return Duration.ZERO;
		}
		long doublings = Math.min(failures - FREE_FAILURES, 20);
		Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
		return (delay.compareTo(MAX_DELAY) > 0) ? MAX_DELAY : delay;
	}

	/**
	 * The account this name signs in to, as stored, or the name itself when it signs in
	 * to none. The database decides which names match an account, with its own lower():
	 * on a database whose ctype folds {@code İ} to {@code i} (glibc's en_US, ICU's tr),
	 * where Java folds it to {@code i̇}, each spelling of the owner's name would
	 * otherwise count its failures apart, doubling the guesses per {@code i} in it.
	 */
	private String accountOf(String username) {
		if (username == null) {
			return null;
		}
		// trimmed, as Spring Security's form login
		// trims it before it looks the account up
		return this.jdbc.sql("SELECT email FROM admin_user WHERE " + OwnerAccount.NAME_MATCHES + " LIMIT 1")
			.param(username.trim())
			.query(String.class)
			.optional()
			.orElse(username);
	}

	/**
	 * {@code 203.0.113.9 owner@example.com}: an IPv6 client counts by its /64, which one
	 * user usually holds whole.
	 */
	static String key(String address, String username) {
		String account = (username != null) ? username.strip().toLowerCase(Locale.ROOT) : "";
		if (account.length() > 320) {
			account = account.substring(0, 320);
		}
		return ClientNetwork.of(address) + " " + account;
	}

	private static String inWords(long seconds) {
		if (seconds < 90) {
			return seconds + ((seconds == 1) ? " second" : " seconds");
		}
		return ((seconds + 59) / 60) + " minutes";
	}

}
