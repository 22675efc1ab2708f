package dev.vitrine.ops;

/**
 * A configuration value that Vitrine cannot start with, made by
 * {@link Setting#invalid(String)}. Its message names the environment variable, the
 * property and what would be valid, so the log line alone tells the user what to fix.
 */
public class InvalidSettingException extends RuntimeException {

	private final Setting setting;

	InvalidSettingException(Setting setting, String problem) {
		super("Invalid " + setting + ": " + problem);
		this.setting = setting;
	}

	public Setting setting() {
		return this.setting;
	}

}
