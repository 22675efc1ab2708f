package dev.vitrine.jobs;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's {@code jobs} command line: {@code enqueue}, {@code list} and
 * {@code retry-failed}, against the database the app uses, through the same API the app
 * enqueues with (type and payload checked the way a stored schedule's are).
 */
public final class JobsCommand {

	/** Jobs per {@code INSERT} (and per transaction) in a bulk enqueue. */
	static final int BATCH = 5_000;

	private static final int MAX_COUNT = 100_000_000;

	private static final Map<String, Set<String>> OPTIONS = Map.of("enqueue", Set.of("payload", "count", "key"), "list",
			Set.of("state", "type", "limit"), "retry-failed", Set.of("type"));

	private static final String USAGE = """
			usage: java -jar vitrine.jar jobs enqueue TYPE [--payload JSON] [--count N] [--key K]
			       java -jar vitrine.jar jobs list [--state STATE] [--type TYPE] [--limit N]
			       java -jar vitrine.jar jobs retry-failed [--type TYPE]
			  enqueue       enqueues N jobs of TYPE (default 1) with the JSON payload (default {});
			                --key enqueues one job unless one with that key waits for its first attempt
			  list          shows jobs, newest first (default limit 50, at most 1000); STATE is one of
			                %s
			  retry-failed  runs every failed job (of TYPE) again
			The database is the one the app uses: VITRINE_DB_URL, or the embedded one in VITRINE_DATA_DIR.
			Settings go after the arguments as --name=value, e.g. --vitrine.db.url=jdbc:postgresql://...
			""".formatted(JobState.labels());

	private final PrintStream out;

	private final PrintStream err;

	private JobsCommand(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	/**
	 * Runs {@code jobs SUBCOMMAND ...}.
	 * @param args the arguments after {@code jobs}; {@code --name=value} ones that are
	 * not options of the subcommand are settings
	 * @param context starts the application context (no roles) with these settings
	 * @return the process exit code: 0 done, 1 failed, 2 wrong usage or a refused job
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err,
			Function<List<String>, ConfigurableApplicationContext> context) {
		JobsCommand command = new JobsCommand(out, err);
		Parsed parsed;
		try {
			parsed = Parsed.of(args);
		}
		catch (UsageException ex) {
			err.println(ex.getMessage());
			err.print(USAGE);
			return 2;
		}
		try (ConfigurableApplicationContext app = context.apply(parsed.settings())) {
			return switch (parsed.subcommand()) {
				case "enqueue" -> command.enqueue(app, parsed);
				case "list" -> command.list(app, parsed);
				default -> command.retryFailed(app, parsed);
			};
		}
		catch (UsageException ex) {
			err.println(ex.getMessage());
			err.print(USAGE);
			return 2;
		}
		catch (IllegalArgumentException ex) {
			err.println("jobs " + parsed.subcommand() + ": " + ex.getMessage());
			return 2;
		}
		catch (RuntimeException ex) {
			err.println("jobs " + parsed.subcommand() + " failed: " + ex.getMessage());
			return 1;
		}
	}

	private int enqueue(ConfigurableApplicationContext app, Parsed parsed) {
		PgJobs jobs = app.getBean(PgJobs.class);
		JobType<?> type = jobs.knownType(parsed.operand());
		JsonNode payload;
		try {
			payload = app.getBean(JsonMapper.class).readTree(parsed.option("payload", "{}"));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("the payload is not JSON: " + ex.getOriginalMessage(), ex);
		}
		return enqueue(app, jobs, type, payload, parsed);
	}

	private <P> int enqueue(ConfigurableApplicationContext app, PgJobs jobs, JobType<P> type, JsonNode json,
			Parsed parsed) {
		P payload = jobs.read(type, json);
		int count = parsed.count();
		String key = parsed.options().get("key");
		if (key != null) {
			JobId id = jobs.enqueueUnique(type, payload, key);
			this.out.printf("Job %s waits with key '%s' (enqueued now, or already waiting for its first attempt)%n", id,
					key);
			return 0;
		}
		TransactionTemplate transaction = app.getBean(TransactionTemplate.class);
		long start = System.nanoTime();
		int batch = (count <= BATCH) ? count : Math.min(BATCH, (count + 9) / 10);
		int done = 0;
		int shownTenths = 0;
		List<JobId> first = List.of();
		while (done < count) {
			List<P> payloads = Collections.nCopies(Math.min(batch, count - done), payload);
			List<JobId> ids = transaction.execute((status) -> jobs.enqueueAll(type, payloads));
			if (done == 0) {
				first = ids;
			}
			done += ids.size();
			int tenths = (int) ((long) done * 10 / count);
			if (count > BATCH && tenths > shownTenths) {
				shownTenths = tenths;
				this.out.printf("  %d of %d (%d%%)%n", done, count, (int) ((long) done * 100 / count));
			}
		}
		long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
		if (count == 1) {
			this.out.println("Enqueued " + first.getFirst());
		}
		this.out.printf("Enqueued %d %s of %s in %d ms (%d/s)%n", count, (count == 1) ? "job" : "jobs", type.name(),
				millis, count * 1000L / millis);
		return 0;
	}

	private int list(ConfigurableApplicationContext app, Parsed parsed) {
		JobState state = parsed.state().orElse(null);
		int limit = parsed.number("limit", 50, 1000);
		List<JobMonitor.JobSummary> jobs = app.getBean(JobMonitor.class)
			.jobs(new JobMonitor.JobFilter(state, parsed.options().get("type"), null, null, null, limit));
		if (jobs.isEmpty()) {
			this.out.println("No jobs match.");
			return 0;
		}
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "ID", "TYPE", "STATE", "ATTEMPTS", "WHEN", "WORKER", "ERROR" });
		for (JobMonitor.JobSummary job : jobs) {
			rows.add(new String[] { Long.toString(job.id().value()), job.id().type(), job.state().label(),
					Integer.toString(job.attempts()), when(job.at()), orDash(job.worker()), firstLine(job.error()) });
		}
		int[] widths = new int[rows.getFirst().length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				line.append((i == row.length - 1) ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
			}
			this.out.println(line.toString().stripTrailing());
		}
		this.out.printf("%d %s, newest first%s%n", jobs.size(), (jobs.size() == 1) ? "job" : "jobs",
				(jobs.size() == limit) ? " (the limit: --limit N shows more)" : "");
		return 0;
	}

	private int retryFailed(ConfigurableApplicationContext app, Parsed parsed) {
		PgJobs jobs = app.getBean(PgJobs.class);
		Optional<String> type = Optional.ofNullable(parsed.options().get("type"));
		type.ifPresent(jobs::knownType);
		int retried = jobs.retryFailed(type);
		this.out.printf("Retried %d failed %s%s%n", retried, (retried == 1) ? "job" : "jobs",
				type.map((name) -> " of " + name).orElse(""));
		return 0;
	}

	private static String when(Instant at) {
		return (at != null) ? at.truncatedTo(ChronoUnit.SECONDS).toString() : "-";
	}

	private static String orDash(String value) {
		return (value == null || value.isBlank()) ? "-" : value;
	}

	private static String firstLine(String error) {
		if (error == null || error.isBlank()) {
			return "-";
		}
		String line = error.strip().lines().findFirst().orElse("");
		return (line.length() > 100) ? line.substring(0, 99) + "…" : line;
	}

	/** The arguments: a subcommand, its operand, its options, and settings. */
	private record Parsed(String subcommand, String operand, Map<String, String> options, List<String> settings) {

		static Parsed of(List<String> args) {
			if (args.isEmpty() || !OPTIONS.containsKey(args.getFirst())) {
				throw new UsageException(
						args.isEmpty() ? "jobs: which command?" : "jobs: unknown command '" + args.getFirst() + "'");
			}
			String subcommand = args.getFirst();
			Set<String> known = OPTIONS.get(subcommand);
			String operand = null;
			Map<String, String> options = new LinkedHashMap<>();
			List<String> settings = new ArrayList<>();
			for (int i = 1; i < args.size(); i++) {
				String arg = args.get(i);
				if (arg.startsWith("--")) {
					int equals = arg.indexOf('=');
					String name = arg.substring(2, (equals < 0) ? arg.length() : equals);
					if (known.contains(name)) {
						String value;
						if (equals >= 0) {
							value = arg.substring(equals + 1);
						}
						else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
							value = args.get(++i);
						}
						else {
							throw new UsageException("jobs " + subcommand + ": --" + name + " needs a value");
						}
						if (options.put(name, value) != null) {
							throw new UsageException("jobs " + subcommand + ": --" + name + " is given twice");
						}
					}
					else if (equals > 2) {
						settings.add(arg);
					}
					else {
						throw new UsageException("jobs " + subcommand + ": unknown option " + arg);
					}
				}
				else if (subcommand.equals("enqueue") && operand == null) {
					operand = arg;
				}
				else {
					throw new UsageException("jobs " + subcommand + ": unexpected argument '" + arg + "'");
				}
			}
			if (subcommand.equals("enqueue") && operand == null) {
				throw new UsageException("jobs enqueue: which job type?");
			}
			Parsed parsed = new Parsed(subcommand, operand, options, settings);
			if (subcommand.equals("enqueue")) {
				int count = parsed.count();
				if (options.containsKey("key") && count != 1) {
					throw new UsageException(
							"jobs enqueue: --key enqueues one job (at most one waits per key); it cannot go with --count "
									+ count);
				}
				if (options.containsKey("key") && options.get("key").isBlank()) {
					throw new UsageException("jobs enqueue: --key needs a non-blank key");
				}
			}
			else if (subcommand.equals("list")) {
				// refused before the app starts, as any other wrong usage
				parsed.state();
				parsed.number("limit", 50, 1000);
			}
			return parsed;
		}

		/** The {@code --state} of {@code list}: empty for any. */
		Optional<JobState> state() {
			String label = this.options.get("state");
			if (label == null) {
				return Optional.empty();
			}
			return Optional.of(JobState.parse(label.strip())
				.orElseThrow(() -> new UsageException("jobs " + this.subcommand + ": unknown state '" + label
						+ "': valid are " + JobState.labels())));
		}

		String option(String name, String fallback) {
			return this.options.getOrDefault(name, fallback);
		}

		int count() {
			return number("count", 1, MAX_COUNT);
		}

		int number(String name, int fallback, int max) {
			String value = this.options.get(name);
			if (value == null) {
				return fallback;
			}
			try {
				int number = Integer.parseInt(value.strip().replace("_", "").replace(",", ""));
				if (number >= 1 && number <= max) {
					return number;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new UsageException("jobs " + this.subcommand + ": --" + name + " must be a whole number from 1 to "
					+ max + ", not '" + value + "'");
		}

	}

	private static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
