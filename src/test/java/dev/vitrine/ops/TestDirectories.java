package dev.vitrine.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.springframework.util.FileSystemUtils;

/**
 * Fresh directories under {@code target/test-data}. Not JUnit's {@code @TempDir}: that
 * one is private to its owner (mode 700), and when tests run as root the embedded
 * PostgreSQL runs as {@code nobody}, which must be able to enter its data directory.
 */
public final class TestDirectories {

	private TestDirectories() {
	}

	public static Path fresh(String name) {
		try {
			Path dir = Path.of("target", "test-data", name + "-" + UUID.randomUUID().toString().substring(0, 8))
				.toAbsolutePath();
			FileSystemUtils.deleteRecursively(dir);
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
