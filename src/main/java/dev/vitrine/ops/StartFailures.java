package dev.vitrine.ops;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A failed start told in one line, for a command's standard error: the description and
 * action of Vitrine's failure analyzers, the same that Spring Boot's report above it
 * shows, else the failure's own message.
 */
public final class StartFailures {

	private static final List<FailureAnalyzer> ANALYZERS = List.of(new InvalidSettingFailureAnalyzer(),
			new DatabaseUnreachableFailureAnalyzer(), new EmbeddedDatabaseInUseFailureAnalyzer());

	private StartFailures() {
	}

	public static String describe(Throwable failure) {
		for (FailureAnalyzer analyzer : ANALYZERS) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				String description = analysis.getDescription();
				return description + (description.endsWith(".") ? " " : ". ") + analysis.getAction();
			}
		}
		return failure.getMessage();
	}

}
