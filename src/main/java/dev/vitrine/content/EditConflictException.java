package dev.vitrine.content;

/**
 * An edit made on a version of an entry or of the profile that is no longer the stored
 * one: someone saved it since (another tab, another device). Nothing was written, so the
 * other save is not lost.
 */
public class EditConflictException extends RuntimeException {

	public EditConflictException(String what, int version) {
		super(what + " was saved since version " + version);
	}

}
