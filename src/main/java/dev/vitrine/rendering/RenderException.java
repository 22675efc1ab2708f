package dev.vitrine.rendering;

/**
 * A render that failed: no browser, a deadline passed, or the browser crashed. The
 * browser is relaunched for the next render; a job that failed this way should retry.
 */
public class RenderException extends RuntimeException {

	public RenderException(String message) {
		super(message);
	}

	public RenderException(String message, Throwable cause) {
		super(message, cause);
	}

}
