package dev.vitrine.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final String REMOVES_WHAT_THE_RELEASE_BEFORE_STOPPED_USING = "-- removes what the release before"
			+ " stopped using";

	/**
	 * What the release before cannot run with: a table, column or the like gone or
	 * renamed, a column's type changed, a column it does not fill made required, a
	 * constraint added that its writes may not meet.
	 */
	private static final Pattern REMOVES = Pattern.compile("\\b(DROP\\s+(TABLE|COLUMN|INDEX|CONSTRAINT|TYPE|VIEW|"
			+ "FUNCTION|TRIGGER|SCHEMA|DEFAULT)|RENAME|TRUNCATE|SET\\s+NOT\\s+NULL|ALTER\\s+COLUMN\\s+\\S+\\s+"
			+ "(SET\\s+DATA\\s+)?TYPE|ADD\\s+CONSTRAINT)\\b", Pattern.CASE_INSENSITIVE);

	/** A column added by ALTER TABLE: the clause up to the next comma or the end. */
	private static final Pattern ADDED_COLUMN = Pattern
		.compile("\\bADD\\s+(COLUMN\\s+)?(IF\\s+NOT\\s+EXISTS\\s+)?(?!CONSTRAINT\\b)[^,;]*", Pattern.CASE_INSENSITIVE);

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

	/**
	 * A rollback runs the release before against this schema (operations.md): so a
	 * migration only adds, and one that removes what the release before stopped using
	 * says so in a comment. The jobs engine's (V10) came before any rollback.
	 */
	@Test
	void migrationsSinceTheJobsEngineOnlyAddWhatTheReleaseBeforeCanRunWith() throws Exception {
		List<String> found = new ArrayList<>();
		try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
			for (Path file : files.sorted().toList()) {
				String name = file.getFileName().toString();
				String text = Files.readString(file);
				if (SchemaVersion.parse(name.substring(1, name.indexOf("__")))
					.compareTo(SchemaVersion.parse("11")) >= 0) {
					onlyAddsViolations(text).forEach((statement) -> found.add(name + ": " + statement));
				}
			}
		}
		assertThat(found)
			.as("statements the release before may not run with; a migration that removes what that"
					+ " release no longer uses says '" + REMOVES_WHAT_THE_RELEASE_BEFORE_STOPPED_USING + "'")
			.isEmpty();
	}

	/**
	 * The statements of a migration that the release before cannot run with, each
	 * statement on its own: one whose comments say it removes what that release stopped
	 * using is not counted.
	 */
	private static List<String> onlyAddsViolations(String sql) {
		List<String> found = new ArrayList<>();
		for (String statement : sql.split(";")) {
			if (statement.contains(REMOVES_WHAT_THE_RELEASE_BEFORE_STOPPED_USING)) {
				continue;
			}
			String code = statement.replaceAll("--[^\\n]*", "");
			Matcher removes = REMOVES.matcher(code);
			while (removes.find()) {
				found.add(removes.group());
			}
			if (code.matches("(?is)\\s*ALTER\\s+TABLE\\b.*")) {
				Matcher added = ADDED_COLUMN.matcher(code);
				while (added.find()) {
					String clause = added.group().toUpperCase(java.util.Locale.ROOT);
					if (clause.matches("(?s).*\\bNOT\\s+NULL\\b.*") && !clause.matches("(?s).*\\bDEFAULT\\b.*")) {
						found.add(added.group().strip());
					}
				}
			}
		}
		return found;
	}

	@Test
	void theOnlyAddCheckFindsWhatARollbackCannotRunWith() {
		// the check's own pattern, on statements that would break the release before
		assertThat(onlyAddsViolations("ALTER TABLE entry DROP COLUMN summary;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry RENAME COLUMN title TO name;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD COLUMN x int NOT NULL;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD x int NOT NULL, ADD y int;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD y int, ADD x int NOT NULL;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ALTER COLUMN x SET NOT NULL;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ALTER COLUMN x TYPE bigint;")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD CONSTRAINT c CHECK (x > 0);")).isNotEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD COLUMN x int NOT NULL DEFAULT 0;")).isEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD COLUMN x int DEFAULT 0 NOT NULL;")).isEmpty();
		assertThat(onlyAddsViolations("ALTER TABLE entry ADD COLUMN x int;")).isEmpty();
		assertThat(onlyAddsViolations("CREATE TABLE t (id bigint NOT NULL);")).isEmpty();
		assertThat(onlyAddsViolations("-- DROP TABLE entry\nCREATE INDEX i ON entry (slug);")).isEmpty();
		// the note exempts its own statement, not the file
		assertThat(onlyAddsViolations(REMOVES_WHAT_THE_RELEASE_BEFORE_STOPPED_USING
				+ "\nALTER TABLE entry DROP COLUMN old;\nALTER TABLE entry DROP COLUMN older;"))
			.containsExactly("DROP COLUMN");
	}

}
