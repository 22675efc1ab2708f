package dev.vitrine.ops;

import java.time.Duration;

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

	/** Stops startup unless {@code value} is from {@code min} to {@code max}. */
	public static void requireRange(String envVar, String property, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidSettingException(envVar, property, value + " is not a number from " + min + " to " + max);
		}
	}

	/** Stops startup unless {@code value} is set and at least {@code min}. */
	public static void requireAtLeast(String envVar, String property, Duration value, Duration min) {
		if (value == null) {
			throw new InvalidSettingException(envVar, property, "no duration given (e.g. 30s, 5m, 1h)");
		}
		if (value.compareTo(min) < 0) {
			String least = (min.toMillis() % 1000 != 0) ? min.toMillis() + "ms" : min.toSeconds() + "s";
			throw new InvalidSettingException(envVar, property, "must be at least " + least);
		}
	}

	String envVar() {
		return this.envVar;
	}

	String property() {
		return this.property;
	}

}
