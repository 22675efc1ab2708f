package dev.vitrine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.vitrine.ops.Setting;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's settings table and the settings the code reads are the same list. The
 * table once named {@code VITRINE_CHROMIUM_PATH}, which nothing read: the worker image
 * set it, and only found its browser because the default happened to be on its PATH. The
 * code's side is the settings metadata the build writes (the
 * {@code @ConfigurationProperties} records, and
 * {@code additional-spring-configuration-metadata.json} for the few read one by one, each
 * of which must appear in the code).
 */
class ConfigurationDocsTests {

	/** A variable of the README's first column: {@code `VITRINE_JOBS_THREADS`}. */
	private static final Pattern VARIABLE = Pattern.compile("`(VITRINE_[A-Z0-9_]+)`");

	/**
	 * Read straight from the environment by a placeholder, with no property of its own.
	 */
	private static final Set<String> PLACEHOLDERS = Set.of("VITRINE_SHUTDOWN_GRACE");

	@Test
	void everyVariableTheReadmeDocumentsIsASettingTheCodeReads() throws IOException {
		Set<String> read = new TreeSet<>(metadataProperties().stream().map((p) -> Setting.of(p).envVar()).toList());
		read.addAll(PLACEHOLDERS);

		assertThat(readmeVariables()).isNotEmpty().isSubsetOf(read);
	}

	@Test
	void everySettingTheCodeReadsIsInTheReadmesTable() throws IOException {
		Set<String> documented = readmeVariables();

		assertThat(metadataProperties())
			.allSatisfy((property) -> assertThat(documented).as("README's Configuration table, for %s", property)
				.contains(Setting.of(property).envVar()));
	}

	@Test
	void theSettingsListedByHandAreReadByTheCode() throws IOException {
		String code = sourceText();
		JsonNode additional;
		try (InputStream in = Files
			.newInputStream(Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json"))) {
			additional = JsonMapper.shared().readTree(in);
		}

		assertThat(additional.path("properties").values()).isNotEmpty().allSatisfy((property) -> {
			String name = property.path("name").asString();
			// Setting.of("name"), @Value("${name:default}"), getProperty("name")
			assertThat(code).as("src/main, for %s", name)
				.containsPattern(Pattern.quote("\"" + name + "\"") + "|" + Pattern.quote("${" + name + ":"));
		});
		assertThat(code).as("application.properties reads the placeholders")
			.contains(PLACEHOLDERS.stream().map((name) -> "${" + name + ":").toArray(String[]::new));
	}

	@Test
	void theImagesSetOnlyDocumentedSettings() throws IOException {
		Set<String> documented = readmeVariables();
		Set<String> set = new TreeSet<>();
		Matcher matcher = Pattern.compile("(VITRINE_[A-Z0-9_]+)=").matcher(Files.readString(Path.of("Dockerfile")));
		while (matcher.find()) {
			set.add(matcher.group(1));
		}

		assertThat(set).contains("VITRINE_ROLES", "VITRINE_RENDERING_CHROMIUM_PATH").isSubsetOf(documented);
	}

	/** The variables in the first column of the table under "## Configuration". */
	private static Set<String> readmeVariables() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("README.md"));
		int start = lines.indexOf("## Configuration");
		assertThat(start).as("README's ## Configuration").isNotNegative();
		Set<String> variables = new LinkedHashSet<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			if (line.startsWith("| `")) {
				Matcher matcher = VARIABLE.matcher(line.split("\\|")[1]);
				while (matcher.find()) {
					variables.add(matcher.group(1));
				}
			}
		}
		return variables;
	}

	/** Vitrine's own properties in the metadata the build wrote. */
	private static Set<String> metadataProperties() throws IOException {
		JsonNode metadata;
		try (InputStream in = ConfigurationDocsTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("the settings metadata: is spring-boot-configuration-processor in the build?")
				.isNotNull();
			metadata = JsonMapper.shared().readTree(in);
		}
		Set<String> properties = new TreeSet<>();
		metadata.path("properties").values().forEach((property) -> properties.add(property.path("name").asString()));
		assertThat(properties).as("settings metadata").contains("vitrine.jobs.threads", "vitrine.roles");
		return properties;
	}

	private static String sourceText() throws IOException {
		StringBuilder text = new StringBuilder(Files.readString(Path.of("src/main/resources/application.properties")));
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				text.append(Files.readString(file));
			}
		}
		return text.toString();
	}

}
