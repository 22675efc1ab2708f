package dev.vitrine.ops;

/**
 * The security headers every HTML response carries, in one place: the admin's security
 * rules set them through Spring Security, and the site's cached-page fast path writes the
 * same values itself.
 */
public final class SecurityHeaders {

	/** No inline script, nothing from other origins, no framing. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

	public static final String REFERRER_POLICY = "strict-origin-when-cross-origin";

	private SecurityHeaders() {
	}

}
