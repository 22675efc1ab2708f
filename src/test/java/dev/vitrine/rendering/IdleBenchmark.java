package dev.vitrine.rendering;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.vitrine.VitrineApplication;
import dev.vitrine.content.Markdown;
import dev.vitrine.content.Profile;
import dev.vitrine.ops.TestPostgres;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.vitrine.support.Profiles.aProfile;

/**
 * The numbers behind {@code bench/render-idle.sh}, not a test: a worker process (the
 * application with the worker role, on the test PostgreSQL) and the cost of closing its
 * browser when idle. Reports the worker's memory (this JVM's RSS plus the browser's PSS
 * over all its processes) with the browser up and after the idle close, and the résumé
 * render right after an idle close against a warm one.
 *
 * <p>
 * Usage: {@code IdleBenchmark RUNS}
 */
public final class IdleBenchmark {

	private static final Duration IDLE = Duration.ofSeconds(3);

	private IdleBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = Integer.parseInt(args[0]);
		String resume = Files.readString(Path.of("bench", "resume.md"));
		Profile profile = aProfile().resume(resume, new Markdown().toSafeHtml(resume)).build();
		StringOutput output = new StringOutput();
		TemplateEngine.createPrecompiled(ContentType.Html)
			.render("site/resume-print.jte", Map.of("profile", profile, "paper", "A4"), output);
		String html = output.toString();
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("idle_bench"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker", "vitrine.content.demo=false",
					"vitrine.management.port=0", "vitrine.rendering.idle-timeout=" + IDLE.toSeconds() + "s")
			.run()) {
			Renderer renderer = app.getBean(Renderer.class);
			renderer.pdf(html, PaperSize.A4);
			List<Long> warm = new ArrayList<>();
			List<Long> afterIdle = new ArrayList<>();
			List<Long> up = new ArrayList<>();
			List<Long> closed = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				// warm: the browser is up and has its spare context ready
				Thread.sleep(300);
				warm.add(time(() -> renderer.pdf(html, PaperSize.A4)));
				Thread.sleep(1000);
				up.add(self() + renderer.browserPid().map(IdleBenchmark::tree).orElse(0L));
				while (renderer.browserPid().isPresent()) {
					Thread.sleep(100);
				}
				Thread.sleep(1000);
				closed.add(self());
				afterIdle.add(time(() -> renderer.pdf(html, PaperSize.A4)));
			}
			System.out.printf("worker idle memory, browser up (JVM RSS + browser PSS): %d MB (runs: %s)%n",
					median(up) / (1024 * 1024), megabytes(up));
			System.out.printf("worker idle memory, browser closed (JVM RSS): %d MB (runs: %s)%n",
					median(closed) / (1024 * 1024), megabytes(closed));
			System.out.printf("résumé PDF, warm: p50 %d ms (runs: %s)%n", median(warm), warm);
			System.out.printf("résumé PDF, first after the idle close: p50 %d ms (runs: %s)%n", median(afterIdle),
					afterIdle);
			System.out.printf("RESULT up_mb=%d closed_mb=%d warm_ms=%d after_idle_ms=%d%n", median(up) / (1024 * 1024),
					median(closed) / (1024 * 1024), median(warm), median(afterIdle));
		}
	}

	/** This JVM's resident set (RSS, not PSS: the JVM shares little). */
	private static long self() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
				if (line.startsWith("Rss:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return 0;
	}

	private static long tree(long pid) {
		return ProcessHandle.of(pid)
			.map((browser) -> ResidentMemory.of(pid)
					+ browser.descendants().mapToLong((child) -> ResidentMemory.of(child.pid())).sum())
			.orElse(0L);
	}

	private static List<Long> megabytes(List<Long> bytes) {
		return bytes.stream().map((value) -> value / (1024 * 1024)).toList();
	}

	private static long time(Runnable render) {
		long start = System.nanoTime();
		render.run();
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

}
