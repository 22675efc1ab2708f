package dev.vitrine.ops;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports a start that could not connect to the database as what it is, naming the
 * settings to check, instead of Spring's stack trace of the beans that needed it.
 */
class DatabaseUnreachableFailureAnalyzer implements FailureAnalyzer {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		return DatabaseUnreachable.in(failure)
			.map((unreachable) -> new FailureAnalysis(unreachable.problem(), unreachable.action(), failure))
			.orElse(null);
	}

}
