package dev.vitrine.ops;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidSettingException} into Spring Boot's startup failure report. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		Setting setting = cause.setting();
		return new FailureAnalysis(cause.getMessage(),
				"Set " + setting.envVar() + " (or " + setting.property() + ") to a valid value and start again.",
				cause);
	}

}
