package dev.vitrine.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import dev.vitrine.ops.TestPostgres;

/**
 * A JDK AOT cache for the processes of the built jar, as the images have one (Dockerfile,
 * {@code -XX:AOTCache}): classes come loaded and linked from it, and a start takes about
 * half the time. The same code runs with or without it.
 * <p>
 * The first jar process a test JVM starts sets off one training run in the background
 * (one for all test JVMs of the build: a marker file decides which); starts before the
 * cache is ready go without it, starts after use it. A failed training leaves no cache,
 * and every start goes without it.
 */
final class JarAotCache {

	private static Thread training;

	private JarAotCache() {
	}

	/**
	 * The JVM options for a start of this jar: the cache if it is ready, else none (and
	 * the training is set off if nobody did).
	 */
	static synchronized List<String> options(Path jar) {
		Path cache = cacheFor(jar);
		if (Files.isRegularFile(cache)) {
			return List.of("-XX:AOTCache=" + cache);
		}
		if (training == null) {
			training = Thread.ofPlatform().daemon().name("aot-training").start(() -> train(jar, cache));
		}
		return List.of();
	}

	/**
	 * Beside the jar: its {@link ExtractedJar} directory is one build's, so a cache of an
	 * older build is never picked up.
	 */
	private static Path cacheFor(Path jar) {
		return jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".aot");
	}

	private static void train(Path jar, Path cache) {
		Path part = cache.resolveSibling(cache.getFileName() + ".part");
		try {
			// the one test JVM that creates the marker trains
			Files.createFile(cache.resolveSibling(cache.getFileName() + ".training"));
		}
		catch (FileAlreadyExistsException ex) {
			return;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int port = Http.freePort();
		List<String> arguments = List.of("-XX:AOTCacheOutput=" + part, "-jar", jar.toString());
		try (AppProcess app = AppProcess.launch("aot-training", arguments,
				AppProcess.siteEnvironment(TestPostgres.newMigratedDatabase("aot_training"), "all", port))) {
			// a test JVM that ends first takes it down, not left serving
			Thread stopper = new Thread(app::kill, "aot-training-stop");
			Runtime.getRuntime().addShutdownHook(stopper);
			// a start and a page, as the images' training runs do
			app.awaitHealthy(port, Duration.ofMinutes(5));
			Http.get(port, "/");
			// the cache is written as the JVM exits
			app.stop(Duration.ofMinutes(5));
			Runtime.getRuntime().removeShutdownHook(stopper);
			Files.move(part, cache, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (Exception | AssertionError ex) {
			System.err.println("JarAotCache: no AOT cache, jar processes start without one: " + ex);
		}
	}

}
