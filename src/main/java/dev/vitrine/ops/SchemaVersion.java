package dev.vitrine.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A Flyway schema version such as {@code 12} or {@code 1.2}, compared part by part as
 * Flyway does; read without Flyway, whose classes (and Jackson 2 with them) a process
 * that does not migrate never loads.
 */
public record SchemaVersion(List<Integer> parts) implements Comparable<SchemaVersion> {

	private static final Pattern MIGRATION = Pattern.compile("^V([0-9]+(?:[._][0-9]+)*)__.*\\.sql$");

	public SchemaVersion {
		parts = List.copyOf(parts);
	}

	static SchemaVersion parse(String text) {
		return new SchemaVersion(Arrays.stream(text.split("[._]")).map(Integer::valueOf).toList());
	}

	/** The highest versioned migration in {@code classpath:db/migration}. */
	public static SchemaVersion expectedByCode() {
		try {
			// classpath:, not classpath*: the migrations are in this application's
			// jar (or classes); classpath*: would open every jar on the class path
			Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/V*.sql");
			List<SchemaVersion> versions = new ArrayList<>();
			for (Resource file : files) {
				Matcher matcher = MIGRATION.matcher(String.valueOf(file.getFilename()));
				if (matcher.matches()) {
					versions.add(parse(matcher.group(1)));
				}
			}
			return versions.stream()
				.max(SchemaVersion::compareTo)
				.orElseThrow(() -> new IllegalStateException("no migrations in classpath:db/migration"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The version of the last successful migration, or empty when nothing has been
	 * migrated yet (no {@code flyway_schema_history} table).
	 */
	public static Optional<SchemaVersion> ofDatabase(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			if (!hasHistory(statement)) {
				return Optional.empty();
			}
			// versions are text ("10" < "9"): compared here, not in SQL
			try (ResultSet rows = statement
				.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
				SchemaVersion highest = null;
				while (rows.next()) {
					SchemaVersion version = parse(rows.getString(1));
					highest = (highest == null || version.compareTo(highest) > 0) ? version : highest;
				}
				return Optional.ofNullable(highest);
			}
		}
	}

	private static boolean hasHistory(Statement statement) throws SQLException {
		// the table in the connection's search path, as Flyway's default schema is
		try (ResultSet row = statement.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
			return row.next() && row.getBoolean(1);
		}
	}

	@Override
	public int compareTo(SchemaVersion other) {
		for (int i = 0; i < Math.max(this.parts.size(), other.parts.size()); i++) {
			int mine = (i < this.parts.size()) ? this.parts.get(i) : 0;
			int theirs = (i < other.parts.size()) ? other.parts.get(i) : 0;
			if (mine != theirs) {
				return Integer.compare(mine, theirs);
			}
		}
		return 0;
	}

	@Override
	public String toString() {
		return String.join(".", this.parts.stream().map(String::valueOf).toList());
	}

}
