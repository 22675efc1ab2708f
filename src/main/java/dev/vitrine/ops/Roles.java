package dev.vitrine.ops;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.env.Environment;

/**
 * The roles this process runs, parsed from {@code vitrine.roles} ({@code VITRINE_ROLES}):
 * a comma list of {@code web}, {@code worker}, {@code scheduler}, {@code monitor}, or
 * {@code all}.
 *
 * @param active the active roles; empty only in a one-off command such as {@code import},
 * which runs no role
 */
public record Roles(Set<Role> active) {

	static final Setting SETTING = Setting.of("vitrine.roles");

	static final String DEFAULT = "all";

	/**
	 * Set by a one-off command ({@code java -jar vitrine.jar import DIR}): no role runs.
	 */
	public static final String COMMAND_PROPERTY = "vitrine.command";

	public Roles {
		active = Set.copyOf(active);
	}

	public boolean has(Role role) {
		return this.active.contains(role);
	}

	/** True when this process runs an HTTP server for people (site, admin or monitor). */
	public boolean servesPages() {
		return has(Role.WEB) || has(Role.MONITOR);
	}

	/**
	 * The roles as written in configuration, in a stable order, e.g. {@code web,worker}.
	 */
	@Override
	public String toString() {
		return this.active.stream().sorted().map(Role::configName).collect(Collectors.joining(","));
	}

	public static Roles from(Environment environment) {
		if (environment.containsProperty(COMMAND_PROPERTY)) {
			return new Roles(Set.of());
		}
		return parse(environment.getProperty(SETTING.property(), DEFAULT));
	}

	/**
	 * Parses a role list.
	 * @throws InvalidSettingException naming {@code VITRINE_ROLES} and the valid values
	 * when the list is empty or names an unknown role
	 */
	static Roles parse(String value) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		String[] names = value.split(",");
		for (String raw : names) {
			String name = raw.strip().toLowerCase(Locale.ROOT);
			if (name.isEmpty()) {
				continue;
			}
			if (name.equals("all")) {
				roles.addAll(EnumSet.allOf(Role.class));
				continue;
			}
			Role role = Arrays.stream(Role.values())
				.filter((candidate) -> candidate.configName().equals(name))
				.findFirst()
				.orElseThrow(() -> invalid("unknown role '" + raw.strip() + "'"));
			roles.add(role);
		}
		if (roles.isEmpty()) {
			throw invalid("no role given");
		}
		return new Roles(roles);
	}

	private static InvalidSettingException invalid(String problem) {
		String valid = Arrays.stream(Role.values()).map(Role::configName).collect(Collectors.joining(", "));
		return SETTING.invalid(problem + "; valid values: a comma list of " + valid + ", or all");
	}

}
