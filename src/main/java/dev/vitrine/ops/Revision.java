package dev.vitrine.ops;

import java.util.regex.Pattern;

import org.springframework.core.env.Environment;

/**
 * The source revision this process was built from, {@code vitrine.revision}
 * ({@code VITRINE_REVISION}; the images set it from their {@code REVISION} build
 * argument). Shown in {@code /actuator/info} and recorded by each worker, so a deploy can
 * tell when the revision it shipped is the one serving.
 *
 * @param value a commit SHA, a tag, or {@code unknown} when not set
 */
public record Revision(String value) {

	static final Setting SETTING = Setting.of("vitrine.revision");

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

	public Revision {
		if (value == null || !VALID.matcher(value).matches()) {
			throw SETTING.invalid("'" + value + "' is not a revision: 1 to 64 letters, digits, '.', '_', '+' or '-'");
		}
	}

	static Revision from(Environment environment) {
		return new Revision(environment.getProperty(SETTING.property(), "unknown").strip());
	}

	@Override
	public String toString() {
		return this.value;
	}

}
