package dev.vitrine.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * {@code compose.yaml} as Docker Compose reads it, for the settings a test runs a service
 * with: image, command, environment ({@code env_file} and then {@code environment}),
 * memory limit, shared memory and the hardening flags. {@code ${VAR}},
 * {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?message}} and
 * {@code ${VAR?message}} are resolved from the given {@code .env} lines only, not from
 * this process's environment: the check is of the files, not of whoever runs it.
 */
final class ComposeFile {

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}|\\$\\$");

	private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)b?");

	private final Path file;

	private final Map<String, Object> services;

	private final Map<String, String> dotEnv;

	private ComposeFile(Path file, Map<String, Object> services, Map<String, String> dotEnv) {
		this.file = file;
		this.services = services;
		this.dotEnv = dotEnv;
	}

	/**
	 * Reads {@code file} with {@code dotEnv} as its {@code .env}: the variables compose
	 * resolves and, for services with {@code env_file: .env}, their environment.
	 */
	@SuppressWarnings("unchecked")
	static ComposeFile read(Path file, Map<String, String> dotEnv) {
		try {
			Map<String, Object> top = new Yaml().load(Files.readString(file));
			Object services = top.get("services");
			if (!(services instanceof Map<?, ?>)) {
				throw new IllegalArgumentException(file + " has no services");
			}
			return new ComposeFile(file, (Map<String, Object>) services, Map.copyOf(dotEnv));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The {@code KEY=VALUE} lines of an env file, in order, as compose reads a
	 * {@code .env}: comments and blank lines skipped, values taken as written.
	 */
	static Map<String, String> envFile(Path file) {
		try {
			Map<String, String> values = new LinkedHashMap<>();
			for (String line : Files.readAllLines(file)) {
				String trimmed = line.strip();
				int equals = trimmed.indexOf('=');
				if (!trimmed.startsWith("#") && equals > 0) {
					values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1));
				}
			}
			return values;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The service {@code name}, its values resolved. */
	Service service(String name) {
		Map<String, Object> service = map(this.services.get(name), name);
		if (service.isEmpty()) {
			throw new IllegalArgumentException(this.file + " has no service " + name);
		}
		Map<String, String> environment = new LinkedHashMap<>();
		// env_file first: environment overrides it, as in compose
		if (strings(service.get("env_file")).contains(".env")) {
			environment.putAll(this.dotEnv);
		}
		map(service.get("environment"), name).forEach((key, value) -> environment.put(key, resolve(value)));
		Object limit = service.get("mem_limit");
		if (limit == null) {
			throw new IllegalArgumentException(this.file + ": the service " + name + " has no mem_limit");
		}
		Object shm = service.get("shm_size");
		Map<String, String> tmpfs = new LinkedHashMap<>();
		for (String mount : strings(service.get("tmpfs"))) {
			int colon = mount.indexOf(':');
			tmpfs.put((colon < 0) ? mount : mount.substring(0, colon), (colon < 0) ? "" : mount.substring(colon + 1));
		}
		return new Service(name, resolve(service.get("image")), strings(service.get("command")), environment,
				bytes(name, "mem_limit", limit), (shm != null) ? bytes(name, "shm_size", shm) : 0,
				Boolean.TRUE.equals(service.get("read_only")), tmpfs, strings(service.get("cap_drop")),
				strings(service.get("security_opt")));
	}

	/** {@code value} with its variables replaced; null as empty. */
	String resolve(Object value) {
		if (value == null) {
			return "";
		}
		Matcher variable = VARIABLE.matcher(value.toString());
		StringBuilder resolved = new StringBuilder();
		while (variable.find()) {
			variable.appendReplacement(resolved, Matcher.quoteReplacement(replacement(variable)));
		}
		return variable.appendTail(resolved).toString();
	}

	private String replacement(Matcher variable) {
		if (variable.group(1) == null) {
			return "$";
		}
		String name = variable.group(1);
		String operator = (variable.group(2) != null) ? variable.group(2) : "";
		String argument = (variable.group(3) != null) ? variable.group(3) : "";
		String value = this.dotEnv.get(name);
		boolean unset = value == null || (operator.startsWith(":") && value.isEmpty());
		return switch (operator) {
			case ":-", "-" -> unset ? argument : value;
			case ":?", "?" -> {
				if (unset) {
					throw new IllegalArgumentException(this.file + ": " + name + ": " + argument);
				}
				yield value;
			}
			default -> (value != null) ? value : "";
		};
	}

	private long bytes(String service, String key, Object size) {
		String resolved = resolve(size).strip().toLowerCase(Locale.ROOT);
		Matcher matcher = SIZE.matcher(resolved);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					this.file + ": " + service + "'s " + key + " is '" + resolved + "', not a size such as 640m or 1g");
		}
		int shift = switch (matcher.group(2)) {
			case "k" -> 10;
			case "m" -> 20;
			case "g" -> 30;
			default -> 0;
		};
		return Long.parseLong(matcher.group(1)) << shift;
	}

	private List<String> strings(Object value) {
		List<String> strings = new ArrayList<>();
		if (value instanceof List<?> list) {
			list.forEach((item) -> strings.add(resolve(item)));
		}
		else if (value != null) {
			strings.add(resolve(value));
		}
		return strings;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(Object value, String service) {
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?>)) {
			throw new IllegalArgumentException(this.file + ": " + service + ": a mapping was expected, not " + value);
		}
		return (Map<String, Object>) value;
	}

	/**
	 * A service's settings, resolved.
	 *
	 * @param command empty for the image's own
	 * @param sharedMemoryBytes 0 for the engine's default
	 * @param tmpfs mount point to its options
	 */
	record Service(String name, String image, List<String> command, Map<String, String> environment,
			long memoryLimitBytes, long sharedMemoryBytes, boolean readOnly, Map<String, String> tmpfs,
			List<String> capDrop, List<String> securityOpt) {

		long memoryLimitMegabytes() {
			return this.memoryLimitBytes >> 20;
		}

	}

}
