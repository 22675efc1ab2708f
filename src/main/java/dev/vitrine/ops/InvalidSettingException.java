package dev.vitrine.ops;

/**
 * A configuration value that Vitrine cannot start with. Its message names the environment
 * variable, the property and what would be valid, so the log line alone tells the user
 * what to fix.
 */
public class InvalidSettingException extends RuntimeException {

	private final String envVar;

	private final String property;

	public InvalidSettingException(String envVar, String property, String problem) {
		super("Invalid " + envVar + " (" + property + "): " + problem);
		this.envVar = envVar;
		this.property = property;
	}

	String envVar() {
		return this.envVar;
	}

	String property() {
		return this.property;
	}

}
