package dev.vitrine.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
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
				extract(jar, work.resolve("app"));
				Files.move(work.resolve("app"), extracted, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
				// another test JVM was first: its copy is complete
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

	private static void extract(Path jar, Path destination) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
				"--destination", destination.toString()))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		try {
			if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("could not extract " + jar + ":\n" + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while extracting " + jar, ex);
		}
	}

}
