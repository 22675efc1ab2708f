package dev.vitrine;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import javax.sql.DataSource;

import dev.vitrine.admin.OwnerCommand;
import dev.vitrine.content.ContentExport;
import dev.vitrine.content.ContentImport;
import dev.vitrine.jobs.JobsCommand;
import dev.vitrine.ops.Roles;
import dev.vitrine.ops.SchemaVersion;
import dev.vitrine.ops.StartFailures;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Vitrine: a self-hosted portfolio site with its background work (rendering, mail,
 * schedules) on PostgreSQL. One artifact; {@code VITRINE_ROLES} decides which parts run
 * in this process. {@code export DIR}, {@code import DIR}, {@code jobs ...},
 * {@code owner ...} and {@code migrate} instead run once against the configured database
 * and exit.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VitrineApplication {

	/** The one-off commands, by their first argument. */
	private enum Command {

		EXPORT, IMPORT, JOBS, OWNER, MIGRATE;

		static Optional<Command> named(String argument) {
			return Arrays.stream(values()).filter((command) -> command.label().equals(argument)).findFirst();
		}

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private static final String USAGE = """
			usage: java -jar vitrine.jar [--name=value ...]    runs the app: the roles VITRINE_ROLES names
			       java -jar vitrine.jar export DIR            writes all content to DIR as Markdown files
			       java -jar vitrine.jar import DIR            creates or updates content from DIR
			       java -jar vitrine.jar migrate               brings the database schema up to this version
			       java -jar vitrine.jar jobs ...              enqueues, lists and retries jobs (jobs alone says how)
			       java -jar vitrine.jar owner reset-password  sets a new password for the owner account
			Settings are environment variables (VITRINE_DB_URL=...) or arguments (--vitrine.db.url=...).
			""";

	public static void main(String[] args) {
		OptionalInt exit = launch(args, System.in, System.out, System.err);
		if (exit.isPresent()) {
			System.exit(exit.getAsInt());
		}
		SpringApplication.run(VitrineApplication.class, args);
	}

	/**
	 * What the arguments ask for before any server starts: a command's exit code, or
	 * empty to run the app. An argument that is neither a command nor a setting
	 * ({@code --name=value}) is refused: a mistyped {@code expotr}, or {@code --help},
	 * used to start every role, listening on every address.
	 * @return the exit code: 0 done, 1 failed, 2 wrong usage; empty to run the app
	 */
	static OptionalInt launch(String[] args, InputStream in, PrintStream out, PrintStream err) {
		if (args.length == 0) {
			return OptionalInt.empty();
		}
		if (Command.named(args[0]).isPresent()) {
			return OptionalInt.of(runCommand(args, in, out, err));
		}
		if (Arrays.stream(args).anyMatch(List.of("--help", "-h", "help")::contains)) {
			out.print(USAGE);
			return OptionalInt.of(0);
		}
		Optional<String> stray = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).findFirst();
		if (stray.isPresent()) {
			err.println("'" + stray.get() + "' is neither a command nor a setting (--name=value; JVM options such as"
					+ " -Xmx go before -jar)");
			err.print(USAGE);
			return OptionalInt.of(2);
		}
		return OptionalInt.empty();
	}

	static int runCommand(String[] args, PrintStream out, PrintStream err) {
		return runCommand(args, System.in, out, err);
	}

	/**
	 * Runs {@code export DIR}, {@code import DIR}, {@code jobs ...} (see
	 * {@link JobsCommand}), {@code owner ...} (see {@link OwnerCommand}) or
	 * {@code migrate}: no server, no worker, no demo seeding; the log is quiet so the
	 * progress lines stand out.
	 * @return the process exit code: 0 done, 1 failed, 2 wrong usage
	 */
	static int runCommand(String[] args, InputStream in, PrintStream out, PrintStream err) {
		Command command = Command.named(args[0])
			.orElseThrow(() -> new IllegalArgumentException("not a command: " + args[0]));
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		return switch (command) {
			case JOBS -> JobsCommand.run(rest, out, err, (settings) -> startCommand(command.label(), settings));
			case OWNER -> OwnerCommand.run(rest, in, out, err, (settings) -> startCommand(command.label(), settings));
			case MIGRATE -> migrate(rest, out, err);
			case EXPORT, IMPORT -> transfer(command, args, out, err);
		};
	}

	/** {@code export DIR} or {@code import DIR}, and settings. */
	private static int transfer(Command command, String[] args, PrintStream out, PrintStream err) {
		// one folder, then settings: a second word is a mistake, not a setting
		if (args.length < 2 || Arrays.stream(args).skip(1).filter((arg) -> !arg.startsWith("--")).count() != 1
				|| args[1].startsWith("--")) {
			err.println("usage: java -jar vitrine.jar export DIR   (write all content to DIR as Markdown files)");
			err.println("       java -jar vitrine.jar import DIR   (create or update content from DIR)");
			err.println(
					"The database is the one the app uses: VITRINE_DB_URL, or the embedded one in VITRINE_DATA_DIR.");
			return 2;
		}
		Path dir = Path.of(args[1]).toAbsolutePath().normalize();
		out.println((command == Command.EXPORT) ? "Exporting content to " + dir : "Importing content from " + dir);
		// further --name=value arguments are settings, as for the app itself
		try (ConfigurableApplicationContext context = startCommand(command.label(),
				Arrays.asList(args).subList(2, args.length))) {
			if (command == Command.EXPORT) {
				int written = context.getBean(ContentExport.class).exportTo(dir, out);
				out.printf("Exported %d files to %s%n", written, dir);
				return 0;
			}
			ContentImport.Report report = context.getBean(ContentImport.class).importFrom(dir, out);
			if (!report.succeeded()) {
				err.println("Import failed; nothing was imported. Problems:");
				report.problems().forEach((problem) -> err.println("  " + problem));
				return 1;
			}
			out.printf("Imported: %d created, %d changed, %d left alone%n", report.created().size(),
					report.changed().size(), report.unchanged().size());
			return 0;
		}
		catch (RuntimeException ex) {
			err.println(command.label() + " failed: " + ex.getMessage());
			return 1;
		}
	}

	/**
	 * Brings the database schema up to this code's version, as a worker does at start,
	 * for a deploy whose web processes start before any worker (they wait for it).
	 */
	private static int migrate(List<String> settings, PrintStream out, PrintStream err) {
		if (settings.stream().anyMatch((setting) -> !setting.startsWith("--"))) {
			err.println("usage: java -jar vitrine.jar migrate   (bring the database schema up to this version)");
			return 2;
		}
		out.println("Migrating the database schema");
		try (ConfigurableApplicationContext context = startCommand("migrate", settings);
				Connection connection = context.getBean(DataSource.class).getConnection()) {
			// Flyway ran as the command's context started
			out.println("Database schema at version "
					+ SchemaVersion.ofDatabase(connection).map(SchemaVersion::toString).orElse("none")
					+ " (this code's: " + SchemaVersion.expectedByCode() + ")");
			return 0;
		}
		catch (SQLException | RuntimeException ex) {
			err.println("migrate failed: " + ex.getMessage());
			return 1;
		}
	}

	/** The application without roles, for a one-off command, with these settings. */
	private static ConfigurableApplicationContext startCommand(String command, List<String> settings) {
		SpringApplication application = new SpringApplication(VitrineApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setLogStartupInfo(false);
		// the context's warning on a failed start repeats, as one long line, the failure
		// that the report below it and the command's own line tell
		List<String> springArgs = new ArrayList<>(
				List.of("--" + Roles.COMMAND_PROPERTY + "=" + command, "--vitrine.content.demo=false",
						"--logging.level.root=warn", "--logging.level.org.springframework.context=error"));
		springArgs.addAll(settings);
		try {
			return application.run(springArgs.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			throw new CommandStartException(ex);
		}
	}

	/**
	 * A command's start that failed, told in the line the command prints (Spring's report
	 * above it is the log's): what went wrong and the setting to check, not the chain of
	 * bean errors that Spring's own message is.
	 */
	static final class CommandStartException extends RuntimeException {

		CommandStartException(RuntimeException failure) {
			super(StartFailures.describe(failure), failure);
		}

	}

}
