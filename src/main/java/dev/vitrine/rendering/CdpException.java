package dev.vitrine.rendering;

/**
 * The browser did not do what was asked: an error answer, a deadline, a lost connection.
 */
class CdpException extends Exception {

	CdpException(String message) {
		super(message);
	}

	CdpException(String message, Throwable cause) {
		super(message, cause);
	}

}
