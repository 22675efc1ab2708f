package dev.vitrine.ops;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start on an embedded database that another process uses as what it is, with
 * what to do, instead of Spring's stack trace of the beans that needed the database (over
 * a hundred lines, for the one mistake a new user is most likely to make: running
 * {@code export} while the app still runs).
 */
class EmbeddedDatabaseInUseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedDatabaseInUse> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedDatabaseInUse cause) {
		if (cause.holder() == EmbeddedDatabaseInUse.Holder.THIS_PROCESS) {
			return new FailureAnalysis(
					"The embedded database in " + cause.directory()
							+ " is in use by this process already: it runs one server per data directory.",
					"Give each application context in this process a data directory of its own ("
							+ Setting.of("vitrine.data.dir").envVar() + ").",
					cause);
		}
		if (cause.holder() == EmbeddedDatabaseInUse.Holder.LEFTOVER_SERVER) {
			return new FailureAnalysis(cause.getMessage(),
					"Wait for that server to end, or end it (kill " + cause.serverPid() + "), then start again.",
					cause);
		}
		return new FailureAnalysis(
				"The embedded database in " + cause.directory()
						+ " is in use by another Vitrine process: one process at a time may use a data directory.",
				"Stop that process first (an app started with mvn spring-boot:run or java -jar, perhaps in another"
						+ " terminal), or set " + Setting.of("vitrine.data.dir").envVar() + " to another directory.",
				cause);
	}

}
