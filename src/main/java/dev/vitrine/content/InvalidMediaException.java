package dev.vitrine.content;

/** An upload that was refused (wrong type, too large, empty); nothing was stored. */
public class InvalidMediaException extends RuntimeException {

	public InvalidMediaException(String message) {
		super(message);
	}

}
