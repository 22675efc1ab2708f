import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Constant-rate load: sends GET URL at RATE requests per second for SECONDS and prints
 * latency percentiles. Latency counts from when each request was due, not when it was
 * sent, so a stalled server cannot hide its queueing (no coordinated omission).
 *
 *   java bench/RateLoad.java URL RATE SECONDS [WARMUP_SECONDS]
 *
 * The warm-up (default 5 s) runs at the same rate and is not recorded: it lets this JVM's
 * HTTP client compile its hot paths, which would otherwise show up as server latency.
 * Last line: p50_ms=... p99_ms=... max_ms=... errors=... sent=...
 */
public class RateLoad {

	public static void main(String[] args) {
		URI uri = URI.create(args[0]);
		int rate = Integer.parseInt(args[1]);
		int seconds = Integer.parseInt(args[2]);
		int warmup = (args.length > 3) ? Integer.parseInt(args[3]) : 5;
		HttpClient client = HttpClient.newBuilder()
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
		run(client, request, rate, warmup);
		Result result = run(client, request, rate, seconds);
		List<Long> sorted = result.latencies();
		System.out.printf("p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d sent=%d%n", ms(sorted, 0.50), ms(sorted, 0.99),
				sorted.getLast() / 1e6, result.errors(), sorted.size());
	}

	record Result(List<Long> latencies, int errors) {
	}

	static Result run(HttpClient client, HttpRequest request, int rate, int seconds) {
		int total = rate * seconds;
		long interval = 1_000_000_000L / rate;
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>(total));
		AtomicInteger errors = new AtomicInteger();
		List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
				if (error != null || response.statusCode() != 200) {
					errors.incrementAndGet();
				}
				latencies.add(System.nanoTime() - due);
			}));
		}
		CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return new Result(sorted, errors.get());
	}

	private static double ms(List<Long> sorted, double quantile) {
		return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
	}

}
