import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;

import dev.vitrine.VitrineApplication;

/**
 * Starts Vitrine as its image does (same jar, Spring AOT code and JDK AOT cache: the image's
 * entrypoint with this class appended to the class path) and reports where the start went,
 * for bench/web-start-profile.sh:
 * <ul>
 * <li>Spring's start-up steps ({@link BufferingApplicationStartup}) as a tree, each with its
 * total and its own time (minus its children), down to {@code -Dtrace.min-ms} (5);
 * <li>the CPU of each of the JVM's threads when the context is up ({@code /proc/self/task}),
 * so the JIT compilers' share shows beside the main thread's;
 * <li>from the unified logs the script asks the JVM for ({@code -Dtrace.logs=DIR}): JIT
 * compilations per tier, the classes that did not come from the AOT cache (by source) and
 * the ClassNotFoundExceptions thrown (each a miss searched through every jar).
 * </ul>
 * Then it exits: the script times the plain image's starts separately.
 */
public class StartTrace {

	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(VitrineApplication.class);
		// the generated start-up code is found by the main class's name
		application.setMainApplicationClass(VitrineApplication.class);
		BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);
		application.setApplicationStartup(startup);
		long started = System.nanoTime();
		application.run(args);
		System.out.printf("TRACE SpringApplication.run: %d ms%n", (System.nanoTime() - started) / 1_000_000);
		printSteps(startup.getBufferedTimeline().getEvents(), Long.getLong("trace.min-ms", 5));
		printThreadCpu();
		String logs = System.getProperty("trace.logs");
		if (logs != null) {
			printLogs(Path.of(logs));
		}
		System.exit(0);
	}

	private record Step(long id, Long parent, String name, long totalNanos, long selfNanos) {
	}

	private static void printSteps(List<TimelineEvent> events, long minMillis) {
		Map<Long, Long> childNanos = new HashMap<>();
		for (TimelineEvent event : events) {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
			}
		}
		Map<Long, List<Step>> children = new HashMap<>();
		for (TimelineEvent event : events) {
			var step = event.getStartupStep();
			StringBuilder name = new StringBuilder(step.getName().replaceFirst("^spring\\.(beans\\.)?", ""));
			step.getTags().forEach((tag) -> {
				if (!tag.getKey().equals("beanType")) {
					name.append(' ').append(tag.getValue());
				}
			});
			long total = event.getDuration().toNanos();
			Step node = new Step(step.getId(), step.getParentId(), name.toString(), total,
					total - childNanos.getOrDefault(step.getId(), 0L));
			children.computeIfAbsent((step.getParentId() != null) ? step.getParentId() : -1L, (k) -> new ArrayList<>())
				.add(node);
		}
		System.out.printf("TRACE Spring's start-up steps of %d ms or more: total (own) name%n", minMillis);
		printTree(children, -1L, 0, minMillis * 1_000_000);
	}

	private static void printTree(Map<Long, List<Step>> children, long parent, int depth, long minNanos) {
		for (Step step : children.getOrDefault(parent, List.of())) {
			if (step.totalNanos() >= minNanos) {
				String name = (step.name().length() > 150) ? step.name().substring(0, 150) : step.name();
				System.out.printf("TRACE %s%6.1f (%5.1f) %s%n", "  ".repeat(depth), step.totalNanos() / 1e6,
						step.selfNanos() / 1e6, name);
				printTree(children, step.id(), depth + 1, minNanos);
			}
		}
	}

	/** User + system CPU per thread name (numbers dropped, so a pool's threads add up). */
	private static void printThreadCpu() throws IOException {
		long ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
		Map<String, Long> millis = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : tasks.toList()) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
					millis.merge(name.equals("java") ? "main" : name, ticks * 1000 / ticksPerSecond, Long::sum);
				}
				catch (IOException ended) {
					// the thread ended while being read
				}
			}
		}
		// the process's own figure counts the threads that have ended too
		String stat = Files.readString(Path.of("/proc/self/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long all = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / ticksPerSecond;
		millis.merge("(threads that have ended)", all - millis.values().stream().mapToLong(Long::longValue).sum(),
				Long::sum);
		System.out.printf("TRACE CPU by thread when the context is up: %d ms in all%n", all);
		millis.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> System.out.printf("TRACE %7d ms %s%n", entry.getValue(), entry.getKey()));
	}

	private static void printLogs(Path dir) throws IOException {
		// "[12ms]   345 %s!  3   java.lang.String::hashCode (...)": the tier after the flags
		Pattern compile = Pattern.compile("^\\[\\d+ms\\]\\s+\\d+\\s+[%sb!n ]*?\\s*([0-4])\\s+\\S+");
		Map<String, Integer> tiers = new TreeMap<>();
		for (String line : lines(dir.resolve("jit.log"))) {
			Matcher matcher = compile.matcher(line);
			// the same log has a line for each compiled method made not entrant again
			if (matcher.find() && !line.contains("made not entrant")) {
				tiers.merge("tier " + matcher.group(1), 1, Integer::sum);
			}
		}
		System.out.println("TRACE JIT compilations by tier (4 is C2): " + tiers);
		Map<String, Integer> sources = new TreeMap<>();
		for (String line : lines(dir.resolve("classes.log"))) {
			int at = line.indexOf(" source: ");
			if (at > 0) {
				sources.merge(sourceKind(line.substring(at + 9).strip()), 1, Integer::sum);
			}
		}
		System.out.println("TRACE classes loaded, by source:");
		sources.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach((entry) -> System.out.printf("TRACE %7d %s%n", entry.getValue(), entry.getKey()));
		// one line per frame the exception passes through: a throw is a new exception object
		Pattern miss = Pattern.compile("'java/lang/ClassNotFoundException'\\{(0x[0-9a-f]+)}: ([^>]+)>");
		List<String> misses = new ArrayList<>();
		String lastException = null;
		for (String line : lines(dir.resolve("exceptions.log"))) {
			Matcher matcher = miss.matcher(line);
			if (matcher.find() && !matcher.group(1).equals(lastException)) {
				lastException = matcher.group(1);
				misses.add(matcher.group(2));
			}
		}
		System.out.printf("TRACE ClassNotFoundExceptions thrown: %d, for %d classes%n", misses.size(),
				misses.stream().distinct().count());
		misses.stream()
			.distinct()
			.sorted(Comparator.comparingLong((String name) -> misses.stream().filter(name::equals).count()).reversed())
			.limit(10)
			.forEach((name) -> System.out.println("TRACE   " + name));
	}

	private static String sourceKind(String source) {
		if (source.equals("shared objects file")) {
			return "the JDK AOT cache";
		}
		if (source.startsWith("file:") || source.startsWith("jrt:")) {
			String name = source.substring(source.lastIndexOf('/') + 1);
			return name.isEmpty() ? source : name;
		}
		return switch (source) {
			case "__JVM_LookupDefineClass__" -> "spun at run time (LambdaForms, ...)";
			case "__dynamic_proxy__" -> "dynamic proxies (annotations, ...)";
			default -> "hidden classes defined at run time (lambdas, ...)";
		};
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

}
