package dev.vitrine.ops;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class AotStartupTests {

	private static final Map<String, String> WEB_IMAGE = Map.of("roles", "web", "database", "external");

	private final AotStartupEnvironmentPostProcessor startup = new AotStartupEnvironmentPostProcessor(
			new DeferredLogs());

	@AfterEach
	void forgetTheChoice() {
		SpringProperties.setProperty(AotStartupEnvironmentPostProcessor.AOT_ENABLED, null);
	}

	@Test
	void aWebProcessWithTheImageSettingsUsesTheGeneratedCode() {
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:postgresql://db/v",
				"vitrine.mail.host", "smtp.example.org"), WEB_IMAGE))
			.isTrue();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isTrue();
	}

	@Test
	void otherRolesOrSettingsStartAsUsual() {
		assertThat(
				this.startup.decide(environment("vitrine.roles", "web,monitor", "vitrine.db.url", "jdbc:x"), WEB_IMAGE))
			.isFalse();
		assertThat(this.startup.decide(environment("vitrine.roles", "web"), WEB_IMAGE)).as("embedded database")
			.isFalse();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isFalse();
	}

	@Test
	void settingsReadAsTheBeansAreMadeDoNotStopIt() {
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x",
				"vitrine.content.demo", "false", "vitrine.site.forwarded-headers", "true"), WEB_IMAGE))
			.isTrue();
	}

	@Test
	void mailDecidesForAWorkerOnly() {
		Map<String, String> worker = AotStartupEnvironmentPostProcessor
			.settingsOf(environment("vitrine.roles", "worker,scheduler", "vitrine.db.url", "jdbc:x"));
		assertThat(worker).containsEntry("mail", "off");
		assertThat(this.startup.decide(environment("vitrine.roles", "worker,scheduler", "vitrine.db.url", "jdbc:x",
				"vitrine.mail.host", "smtp.example.org"), worker))
			.isFalse();
	}

	@Test
	void aLaterApplicationWithoutGeneratedCodeDoesNotInheritTheChoice() {
		this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x"), WEB_IMAGE);
		assertThat(this.startup.decide(environment("vitrine.roles", "web", "vitrine.db.url", "jdbc:x"), null))
			.isFalse();
		assertThat(SpringProperties.getFlag(AotStartupEnvironmentPostProcessor.AOT_ENABLED)).isFalse();
	}

	/**
	 * The generated code fixes every condition's outcome at build time, so each condition
	 * in Vitrine must read a setting the fingerprint covers (or none); a new one on
	 * another setting would be silently ignored by the web image.
	 */
	@Test
	void everyConditionInVitrineReadsOnlySettingsTheFingerprintCovers() throws IOException {
		Set<String> covered = Set.of(
				// roles
				"ConditionalOnRole", "Conditional(OnRoleCondition)",
				// database
				"Conditional(DatabaseConfiguration.NoDatabaseUrl)",
				// roles and database
				"Conditional(SchemaConfiguration.MigratesHere)", "Conditional(SchemaConfiguration.WaitsHere)",
				// mail, worker only
				"ConditionalOnExpression(!'${vitrine.mail.host:}'.isBlank())",
				// always a web application
				"ConditionalOnWebApplication");
		PathMatchingResourcePatternResolver classes = new PathMatchingResourcePatternResolver();
		CachingMetadataReaderFactory readers = new CachingMetadataReaderFactory(classes);
		Set<String> conditions = new TreeSet<>();
		for (Resource file : classes.getResources("classpath*:dev/vitrine/**/*.class")) {
			if (file.getURL().toString().contains("/test-classes/")) {
				continue;
			}
			AnnotationMetadata type = readers.getMetadataReader(file).getAnnotationMetadata();
			type.getAnnotations().stream(Conditional.class).forEach((c) -> conditions.add(describe(c)));
			type.getAnnotatedMethods(Conditional.class.getName())
				.forEach((method) -> method.getAnnotations()
					.stream(Conditional.class)
					.forEach((c) -> conditions.add(describe(c))));
		}
		assertThat(conditions)
			.as("conditions in dev.vitrine (read a new setting when the bean is made, or add it to settingsOf)")
			.isNotEmpty()
			.allMatch(covered::contains);
	}

	private static String describe(MergedAnnotation<Conditional> condition) {
		MergedAnnotation<?> declared = condition.getRoot();
		String name = declared.getType().getSimpleName();
		if (declared.getType() == Conditional.class) {
			Class<?>[] classes = declared.getClassArray("value");
			return name + "("
					+ classes[0].getName().substring(classes[0].getPackageName().length() + 1).replace('$', '.') + ")";
		}
		if (declared.getType() == ConditionalOnExpression.class) {
			return name + "(" + declared.getString("value") + ")";
		}
		return name;
	}

	private static StandardEnvironment environment(String... pairs) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> properties = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			properties.put(pairs[i], pairs[i + 1]);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
