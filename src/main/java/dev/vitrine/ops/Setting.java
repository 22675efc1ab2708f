package dev.vitrine.ops;

import java.time.Duration;
import java.util.Locale;

/**
 * One configuration setting, named once by its property. Its environment variable is
 * derived from the property as Spring Boot binds it ({@code vitrine.jobs.prefetch} is
 * {@code VITRINE_JOBS_PREFETCH}), so a check can name both without spelling either twice,
 * and the two never disagree.
 *
 * @param property the property, e.g. {@code vitrine.db.pool-size}
 */
public record Setting(String property) {

	public Setting {
		if (property == null || !property.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
			throw new IllegalArgumentException("not a property name: " + property);
		}
	}

	public static Setting of(String property) {
		return new Setting(property);
	}

	/** Dots and dashes become underscores, letters upper case. */
	public String envVar() {
		return this.property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
	}

	/**
	 * The exception that stops startup over this setting.
	 * @param problem what is wrong with the value and what would be valid
	 */
	public InvalidSettingException invalid(String problem) {
		return new InvalidSettingException(this, problem);
	}

	/** Stops startup unless {@code value} is from {@code min} to {@code max}. */
	public int requireRange(int value, int min, int max) {
		if (value < min || value > max) {
			throw invalid(value + " is not a number from " + min + " to " + max);
		}
		return value;
	}

	/** Stops startup unless {@code value} is set and at least {@code min}. */
	public Duration requireAtLeast(Duration value, Duration min) {
		if (value == null) {
			throw invalid("no duration given (e.g. 30s, 5m, 1h)");
		}
		if (value.compareTo(min) < 0) {
			String least = (min.toMillis() % 1000 != 0) ? min.toMillis() + "ms" : min.toSeconds() + "s";
			throw invalid("must be at least " + least);
		}
		return value;
	}

	@Override
	public String toString() {
		return this.envVar() + " (" + this.property + ")";
	}

}
