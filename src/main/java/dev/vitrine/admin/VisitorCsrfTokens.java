package dev.vitrine.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * Where CSRF tokens live. A visitor without a session (the login and contact forms) gets
 * the token in a cookie and submits it again with the form (double submit), so showing a
 * public form writes no session row. Once a session exists (the signed-in owner), the
 * token lives in it, and a cookie planted from a sibling domain counts for nothing.
 */
final class VisitorCsrfTokens implements CsrfTokenRepository {

	static final String COOKIE = "XSRF-TOKEN";

	private final HttpSessionCsrfTokenRepository sessions = new HttpSessionCsrfTokenRepository();

	private final CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();

	VisitorCsrfTokens() {
		this.cookies.setCookieName(COOKIE);
		// the same names as the session's tokens: one form works with either
		this.cookies.setParameterName("_csrf");
		this.cookies.setHeaderName("X-CSRF-TOKEN");
		this.cookies.setCookieCustomizer((cookie) -> cookie.sameSite("Lax").httpOnly(true));
	}

	@Override
	public CsrfToken generateToken(HttpServletRequest request) {
		return this.sessions.generateToken(request);
	}

	@Override
	public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
		if (hasSession(request)) {
			this.sessions.saveToken(token, request, response);
		}
		else {
			this.cookies.saveToken(token, request, response);
		}
	}

	@Override
	public CsrfToken loadToken(HttpServletRequest request) {
		return hasSession(request) ? this.sessions.loadToken(request) : this.cookies.loadToken(request);
	}

	private static boolean hasSession(HttpServletRequest request) {
		return request.getSession(false) != null;
	}

}
