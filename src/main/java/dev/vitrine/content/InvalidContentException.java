package dev.vitrine.content;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Content that cannot be saved, with a message per offending field (keyed by the field's
 * name in {@link EntryChange} or {@link ProfileChange}). Nothing was written.
 */
public class InvalidContentException extends RuntimeException {

	private final Map<String, String> errors;

	public InvalidContentException(Map<String, String> errors) {
		super(errors.entrySet()
			.stream()
			.map((error) -> error.getKey() + ": " + error.getValue())
			.collect(Collectors.joining("; ")));
		this.errors = Map.copyOf(errors);
	}

	public Map<String, String> errors() {
		return this.errors;
	}

}
