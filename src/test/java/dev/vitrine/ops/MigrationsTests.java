package dev.vitrine.ops;

import java.util.List;

import dev.vitrine.support.RunningApp;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which processes migrate: those that own the schema's writers and the embedded default;
 * a web or monitor process on an external database checks the version instead, with no
 * Flyway in it. Versions compare part by part, as Flyway's do.
 */
class MigrationsTests {

	@ParameterizedTest(name = "VITRINE_ROLES={0}, external database {1}: migrates {2}")
	@CsvSource({ "web, true, false", "monitor, true, false", "'web,monitor', true, false", "web, false, true",
			"worker, true, true", "scheduler, true, true", "'web,worker', true, true", "all, true, true",
			"all, false, true" })
	void onlyProcessesThatOwnTheSchemaMigrate(String roles, boolean external, boolean migrates) {
		MockEnvironment environment = new MockEnvironment();
		if (external) {
			environment.setProperty("vitrine.db.url", "jdbc:postgresql://db/vitrine");
		}
		assertThat(Migrations.runIn(environment, Roles.parse(roles))).isEqualTo(migrates);
	}

	@Test
	void oneOffCommandsMigrate() {
		MockEnvironment environment = new MockEnvironment().withProperty("vitrine.db.url", "jdbc:postgresql://db/v")
			.withProperty(Roles.COMMAND_PROPERTY, "migrate");
		assertThat(Migrations.runIn(environment, Roles.from(environment))).isTrue();
	}

	@Test
	void aWebProcessOnAnExternalDatabaseHasNoFlywayAndChecksTheSchema() {
		try (RunningApp web = RunningApp.start("migrations_web", "vitrine.roles=web", "vitrine.content.demo=false")) {
			assertThat(web.beans(Flyway.class)).isEmpty();
			assertThat(web.bean(Schema.class)).isInstanceOf(AwaitedSchema.class);
			assertThat(((AwaitedSchema) web.bean(Schema.class)).isReady()).isTrue();
		}
		try (RunningApp worker = RunningApp.start("migrations_worker", "vitrine.roles=worker",
				"vitrine.content.demo=false")) {
			assertThat(worker.beans(Flyway.class)).hasSize(1);
			assertThat(worker.bean(Schema.class)).isNotInstanceOf(AwaitedSchema.class);
		}
	}

	@Test
	void versionsCompareByNumberPartByPart() {
		List<String> sorted = List.of("9", "10", "1.2", "1.10", "2")
			.stream()
			.map(SchemaVersion::parse)
			.sorted()
			.map(SchemaVersion::toString)
			.toList();
		assertThat(sorted).containsExactly("1.2", "1.10", "2", "9", "10");
		assertThat(SchemaVersion.parse("12").compareTo(SchemaVersion.parse("12.0"))).isZero();
	}

	@Test
	void theCodesVersionIsItsHighestMigration() throws Exception {
		try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
			SchemaVersion highest = files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.startsWith("V"))
				.map((name) -> SchemaVersion.parse(name.substring(1, name.indexOf("__"))))
				.max(SchemaVersion::compareTo)
				.orElseThrow();
			assertThat(SchemaVersion.expectedByCode()).isEqualTo(highest);
		}
	}

}
