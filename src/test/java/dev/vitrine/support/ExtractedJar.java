package dev.vitrine.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * The built jar extracted the way the images run it (Spring Boot's {@code extract}: the
 * application's jar beside its libraries in {@code lib/}, not nested in one file). Its
 * processes start on about half the CPU of {@code java -jar target/vitrine.jar}'s, whose
 * class loader reads each class out of a jar inside the jar (BENCHMARKS.md, "Where the
 * CPU goes").
 * <p>
 * Extracted once per build, into {@code target/it-app/}: a test JVM extracts into a
 * directory of its own and moves it into place, so that two failsafe forks never use a
 * half-written one, and the second to finish drops its copy.
 */
final class ExtractedJar {

	private static final Path DIRECTORY = Path.of("target", "it-app");

	private ExtractedJar() {
	}

	/** The extracted application jar of this built jar, extracting it if no one has. */
	static synchronized Path of(Path jar) {
		try {
			// named for the jar's build: an older build's extraction is never used
			Path extracted = DIRECTORY.resolve("vitrine-" + Files.getLastModifiedTime(jar).toMillis());
			Path application = extracted.resolve(jar.getFileName());
			if (Files.isRegularFile(application)) {
				return application;
			}
			Path work = Files.createTempDirectory(Files.createDirectories(DIRECTORY), "extracting-");
			try {
				extract(jar, work);
				Files.move(work.resolve("app"), extracted, StandardCopyOption.ATOMIC_MOVE);
				dropOlderBuilds(extracted);
			}
			catch (IOException ex) {
				// another test JVM was first (a rename onto its directory fails with "not
				// empty", which the JDK reports as a plain FileSystemException): its copy
				// is complete
				if (!Files.isRegularFile(application)) {
					throw ex;
				}
			}
			finally {
				FileSystemUtils.deleteRecursively(work);
			}
			return application;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Spring Boot's own extraction into {@code work/app}, its output in
	 * {@code work/extract.log}.
	 */
	private static void extract(Path jar, Path work) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = work.resolve("extract.log");
		Process process = new ProcessBuilder(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
				"--destination", work.resolve("app").toString()))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException(
						"extracting " + jar + " took over 2 minutes:\n" + Files.readString(log));
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						"could not extract " + jar + " (exit " + process.exitValue() + "):\n" + Files.readString(log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while extracting " + jar, ex);
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Earlier builds' extractions and AOT caches (~150 MB each) go once this one is in
	 * place.
	 */
	private static void dropOlderBuilds(Path current) throws IOException {
		try (var entries = Files.list(DIRECTORY)) {
			for (Path entry : entries.toList()) {
				if (entry.getFileName().toString().startsWith("vitrine-") && !entry.equals(current)) {
					FileSystemUtils.deleteRecursively(entry);
				}
			}
		}
	}

}
