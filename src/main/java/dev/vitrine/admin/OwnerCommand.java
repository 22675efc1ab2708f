package dev.vitrine.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's {@code owner reset-password}: a new password for the owner account when
 * the owner cannot sign in (forgotten, or throttled after an attack). It also signs out
 * every session of the owner and clears sign-in throttling. The password is read from the
 * terminal without echo (asked twice), or else from the first line of standard input,
 * never from the command line, where {@code ps} and shell history would show it.
 */
public final class OwnerCommand {

	private static final String USAGE = """
			usage: java -jar vitrine.jar owner reset-password
			  reset-password  sets a new password for the owner account (asked on the terminal, or the first
			                  line of standard input: echo "$NEW" | java -jar vitrine.jar owner reset-password),
			                  signs out the owner's sessions and clears sign-in throttling
			The database is the one the app uses: VITRINE_DB_URL, or the embedded one in VITRINE_DATA_DIR.
			Settings go after the arguments as --name=value, e.g. --vitrine.db.url=jdbc:postgresql://...
			""";

	private OwnerCommand() {
	}

	/**
	 * Runs {@code owner SUBCOMMAND ...}.
	 * @param args the arguments after {@code owner}; {@code --name=value} ones are
	 * settings
	 * @param in where the password comes from when there is no terminal
	 * @param context starts the application context (no roles) with these settings
	 * @return the process exit code: 0 done, 1 failed, 2 wrong usage or input
	 */
	public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err,
			Function<List<String>, ConfigurableApplicationContext> context) {
		List<String> settings = new ArrayList<>();
		for (String arg : args.subList(Math.min(1, args.size()), args.size())) {
			if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
				err.println("owner: unexpected argument '" + arg + "'");
				err.print(USAGE);
				return 2;
			}
			settings.add(arg);
		}
		if (args.isEmpty() || !args.getFirst().equals("reset-password")) {
			err.println(args.isEmpty() ? "owner: which command?" : "owner: unknown command '" + args.getFirst() + "'");
			err.print(USAGE);
			return 2;
		}
		String password;
		try {
			password = readPassword(in);
		}
		catch (IOException | IllegalArgumentException ex) {
			err.println("owner reset-password: " + ex.getMessage());
			return 2;
		}
		try (ConfigurableApplicationContext app = context.apply(settings)) {
			OwnerAccount account = new OwnerAccount(app.getBean(JdbcClient.class),
					PasswordEncoderFactories.createDelegatingPasswordEncoder());
			Optional<OwnerAccount.PasswordReset> reset = app.getBean(TransactionTemplate.class)
				.execute((status) -> account.resetPassword(password));
			if (reset.isEmpty()) {
				err.println("owner reset-password: there is no owner account yet; create it with VITRINE_ADMIN_EMAIL"
						+ " and VITRINE_ADMIN_PASSWORD, or through the setup link the web process logs");
				return 1;
			}
			out.printf(
					"New password set for %s; %d %s signed out; sign-in throttling cleared (%d failed %s"
							+ " forgotten)%n",
					reset.get().email(), reset.get().sessionsEnded(),
					(reset.get().sessionsEnded() == 1) ? "session" : "sessions", reset.get().failuresCleared(),
					(reset.get().failuresCleared() == 1) ? "sign-in" : "sign-ins");
			return 0;
		}
		catch (RuntimeException ex) {
			err.println("owner reset-password failed: " + ex.getMessage());
			return 1;
		}
	}

	private static String readPassword(InputStream in) throws IOException {
		Console console = System.console();
		String password;
		if (in == System.in && console != null && console.isTerminal()) {
			char[] first = console.readPassword(
					"New password for the owner (at least %d characters, at most %d bytes): ",
					OwnerPassword.MIN_CHARACTERS, OwnerPassword.MAX_BYTES);
			char[] again = console.readPassword("The same again: ");
			if (first == null || again == null || !Arrays.equals(first, again)) {
				throw new IllegalArgumentException("the passwords do not match; nothing was changed");
			}
			password = new String(first);
		}
		else {
			password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
			if (password == null) {
				throw new IllegalArgumentException(
						"no password on standard input (give it as the first line); nothing was changed");
			}
		}
		OwnerPassword.problem(password).ifPresent((problem) -> {
			throw new IllegalArgumentException("the password " + problem + "; nothing was changed");
		});
		return password;
	}

}
