package dev.vitrine.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import nu.validator.validation.SimpleDocumentValidator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The Nu HTML checker (the engine behind the W3C's HTML validator) in this JVM: its HTML
 * schema and checks are read from its jar, nothing goes to the network. Setting it up
 * parses the schema (seconds), so a test class makes one and checks all its pages with
 * it, one page at a time.
 */
public final class HtmlChecker {

	private static final String SCHEMA = "http://s.validator.nu/html5-all.rnc";

	private final SimpleDocumentValidator validator;

	private final Collector collector = new Collector();

	public HtmlChecker() {
		// initialise the local copies of schemas and entities; no external entities
		this.validator = new SimpleDocumentValidator(true, false, false);
		try {
			this.validator.setUpMainSchema(SCHEMA, this.collector);
			this.validator.setUpValidatorAndParsers(this.collector, false, false);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot set up the Nu HTML checker", ex);
		}
	}

	/**
	 * The checker's errors in a page, each as {@code "line:column message"}; empty when
	 * the page is valid. Warnings are not errors.
	 * @param name where the page came from, for the messages
	 */
	public synchronized List<String> errors(String name, String html) {
		this.collector.problems.clear();
		// as bytes, the way a browser gets them, so the charset declaration is checked
		InputSource source = new InputSource(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
		source.setSystemId(name);
		try {
			this.validator.checkHtmlInputSource(source);
		}
		catch (SAXException ex) {
			// a fatal error stops the parse: it is already among the problems
			if (this.collector.problems.isEmpty()) {
				this.collector.problems.add("fatal: " + ex.getMessage());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return List.copyOf(this.collector.problems);
	}

	private static final class Collector implements ErrorHandler {

		private final List<String> problems = new ArrayList<>();

		@Override
		public void warning(SAXParseException exception) {
		}

		@Override
		public void error(SAXParseException exception) {
			this.problems.add(describe(exception));
		}

		@Override
		public void fatalError(SAXParseException exception) throws SAXException {
			this.problems.add("fatal " + describe(exception));
			throw exception;
		}

		private static String describe(SAXParseException exception) {
			return exception.getLineNumber() + ":" + exception.getColumnNumber() + " " + exception.getMessage();
		}

	}

}
