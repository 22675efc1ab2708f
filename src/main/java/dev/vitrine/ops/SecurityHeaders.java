package dev.vitrine.ops;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The security headers every HTML response carries, in one place: the admin's security
 * rules set them through Spring Security; the site's cached-page fast path and the answer
 * while the schema is awaited, which both answer ahead of it, write the same values with
 * {@link #writeTo}.
 */
public final class SecurityHeaders {

	/** No inline script, nothing from other origins, no framing. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

	public static final String REFERRER_POLICY = "strict-origin-when-cross-origin";

	private SecurityHeaders() {
	}

	/**
	 * The headers Spring Security writes, but {@code Strict-Transport-Security}, which
	 * depends on the request and a setting.
	 */
	public static void writeTo(HttpServletResponse response) {
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("X-XSS-Protection", "0");
		response.setHeader("Referrer-Policy", REFERRER_POLICY);
	}

}
