package dev.vitrine.rendering;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.vitrine.content.Markdown;
import dev.vitrine.content.Profile;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static dev.vitrine.support.Profiles.aProfile;

/**
 * The numbers behind {@code bench/render.sh}, not a test: renders the site's real résumé
 * and card templates with the renderer the worker uses. Writes the two HTML documents to
 * the folder given, for the script's per-render Chromium baseline.
 *
 * <p>
 * Usage: {@code RenderBenchmark RUNS DIR}
 */
public final class RenderBenchmark {

	private RenderBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int runs = Integer.parseInt(args[0]);
		Path dir = Path.of(args[1]);
		Markdown markdown = new Markdown();
		String resume = Files.readString(Path.of("bench", "resume.md"));
		Profile profile = aProfile().resume(resume, markdown.toSafeHtml(resume)).build();
		TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
		String pdfHtml = render(templates, "site/resume-print.jte", Map.of("profile", profile, "paper", "A4"));
		String cardHtml = render(templates, "site/card.jte",
				Map.of("title", "PostgreSQL is a fine queue", "summary",
						"FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY, and why you may not need Redis.", "label", "Article",
						"siteName", "Ada Example"));
		Files.writeString(dir.resolve("resume.html"), pdfHtml);
		Files.writeString(dir.resolve("card.html"), cardHtml);

		Renderer renderer = new Renderer(
				new RenderingSettings("", Duration.ofSeconds(20), 2, 100_000, DataSize.ofGigabytes(8),
						Duration.ofSeconds(30), Duration.ZERO),
				JsonMapper.builder().build(), new SimpleMeterRegistry());
		renderer.start();
		AtomicLong peak = new AtomicLong();
		Thread sampler = Thread.ofPlatform().daemon().start(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				renderer.browserPid().ifPresent((pid) -> peak.accumulateAndGet(pss(pid), Math::max));
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		try {
			long cold = time(() -> renderer.pdf(pdfHtml, PaperSize.A4));
			for (int i = 0; i < 5; i++) {
				renderer.pdf(pdfHtml, PaperSize.A4);
				renderer.png(cardHtml, 1200, 630);
			}
			// renders as jobs mostly come: one at a time with a pause between, with and
			// without the spare context made ahead
			renderer.keepSpare(false);
			Latency withoutSpare = latency(renderer, pdfHtml, cardHtml, runs);
			renderer.keepSpare(true);
			Latency withSpare = latency(renderer, pdfHtml, cardHtml, runs);
			// alternated, so that neither mode always runs on the older browser
			double plain1 = 0;
			double plain2 = 0;
			double perSecond1 = 0;
			double perSecond2 = 0;
			for (int round = 0; round < 2; round++) {
				renderer.keepSpare(true);
				perSecond1 += throughput(renderer, pdfHtml, 1, runs / 2) / 2;
				perSecond2 += throughput(renderer, pdfHtml, 2, runs / 2) / 2;
				renderer.keepSpare(false);
				plain1 += throughput(renderer, pdfHtml, 1, runs / 2) / 2;
				plain2 += throughput(renderer, pdfHtml, 2, runs / 2) / 2;
			}
			renderer.keepSpare(true);
			System.out.printf("cold first PDF (browser launch included): %d ms%n", cold);
			System.out.printf("warm PDF over %d, no spare context: p50 %d ms, p95 %d ms%n", runs,
					percentile(withoutSpare.pdf(), 0.5), percentile(withoutSpare.pdf(), 0.95));
			System.out.printf("warm PNG 1200x630 over %d, no spare context: p50 %d ms, p95 %d ms%n", runs,
					percentile(withoutSpare.png(), 0.5), percentile(withoutSpare.png(), 0.95));
			System.out.printf("warm PDF over %d, spare context: p50 %d ms, p95 %d ms%n", runs,
					percentile(withSpare.pdf(), 0.5), percentile(withSpare.pdf(), 0.95));
			System.out.printf("warm PNG 1200x630 over %d, spare context: p50 %d ms, p95 %d ms%n", runs,
					percentile(withSpare.png(), 0.5), percentile(withSpare.png(), 0.95));
			System.out.printf("PDFs per second, back to back, no spare: %.2f at concurrency 1, %.2f at concurrency 2%n",
					plain1, plain2);
			System.out.printf("PDFs per second, back to back, spare: %.2f at concurrency 1, %.2f at concurrency 2%n",
					perSecond1, perSecond2);
			System.out.printf("peak browser memory (PSS, all processes): %d MB%n", peak.get() / (1024 * 1024));
			System.out.printf("RESULT pdf_p50_ms=%d png_p50_ms=%d pdf_per_s=%.2f%n", percentile(withSpare.pdf(), 0.5),
					percentile(withSpare.png(), 0.5), Math.max(perSecond1, perSecond2));
		}
		finally {
			sampler.interrupt();
			renderer.stop();
		}
	}

	private record Latency(List<Long> pdf, List<Long> png) {
	}

	private static Latency latency(Renderer renderer, String pdfHtml, String cardHtml, int runs)
			throws InterruptedException {
		List<Long> pdf = new ArrayList<>();
		List<Long> png = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			Thread.sleep(300);
			pdf.add(time(() -> renderer.pdf(pdfHtml, PaperSize.A4)));
			Thread.sleep(300);
			png.add(time(() -> renderer.png(cardHtml, 1200, 630)));
		}
		return new Latency(pdf, png);
	}

	private static double throughput(Renderer renderer, String html, int threads, int count) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			long start = System.nanoTime();
			List<Future<byte[]>> results = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				results.add(pool.submit(() -> renderer.pdf(html, PaperSize.A4)));
			}
			for (Future<byte[]> result : results) {
				result.get();
			}
			return count / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdown();
		}
	}

	private static long pss(long pid) {
		return ProcessHandle.of(pid)
			.map((browser) -> ResidentMemory.of(pid)
					+ browser.descendants().mapToLong((child) -> ResidentMemory.of(child.pid())).sum())
			.orElse(0L);
	}

	private static long time(Runnable render) {
		long start = System.nanoTime();
		render.run();
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static long percentile(List<Long> values, double quantile) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
	}

	private static String render(TemplateEngine templates, String name, Map<String, Object> params) {
		StringOutput output = new StringOutput();
		templates.render(name, params, output);
		return output.toString();
	}

}
