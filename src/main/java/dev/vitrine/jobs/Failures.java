package dev.vitrine.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How a failure is written into the history: a one-line message and the stack trace. */
final class Failures {

	private Failures() {
	}

	static String message(Throwable cause) {
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
	}

	static String stackTrace(Throwable cause) {
		StringWriter trace = new StringWriter();
		cause.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}
