package dev.vitrine.content;

import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A Markdown file with YAML front matter: a {@code ---} line, YAML, a {@code ---} line,
 * then the Markdown body, kept byte for byte. Front matter keys keep their order, so
 * files written twice are identical and diff cleanly in git.
 *
 * @param fields the front matter
 * @param body the Markdown after the closing {@code ---} line
 * @param bodyLine the 1-based line number where the body starts, for error messages
 */
record FrontMatterFile(Map<String, Object> fields, String body, int bodyLine) {

	private static final String FENCE = "---";

	static FrontMatterFile parse(String text) throws Problem {
		String normalized = text.replace("\r\n", "\n");
		if (!normalized.startsWith(FENCE + "\n")) {
			throw new Problem(1, "a content file starts with a '---' line, then YAML front matter, then '---'");
		}
		int end = normalized.indexOf("\n" + FENCE + "\n", FENCE.length());
		boolean endsAtEof = false;
		if (end < 0 && normalized.endsWith("\n" + FENCE)) {
			end = normalized.length() - FENCE.length() - 1;
			endsAtEof = true;
		}
		if (end < 0) {
			throw new Problem(1, "the front matter has no closing '---' line");
		}
		String yaml = normalized.substring(FENCE.length() + 1, end + 1);
		Object loaded;
		try {
			LoaderOptions options = new LoaderOptions();
			// a key given twice is one of two meant values: which one is the owner's to
			// say
			options.setAllowDuplicateKeys(false);
			loaded = new Yaml(new SafeConstructor(options)).load(yaml);
		}
		catch (MarkedYAMLException ex) {
			int line = (ex.getProblemMark() != null) ? ex.getProblemMark().getLine() + 2 : 2;
			throw new Problem(line, "front matter is not valid YAML: " + ex.getProblem());
		}
		catch (YAMLException ex) {
			throw new Problem(2, "front matter is not valid YAML: " + ex.getMessage());
		}
		if (loaded != null && !(loaded instanceof Map)) {
			throw new Problem(2, "front matter must be 'key: value' lines");
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		if (loaded instanceof Map<?, ?> map) {
			map.forEach((key, value) -> fields.put(String.valueOf(key), value));
		}
		int bodyLine = (int) normalized.substring(0, end).chars().filter((c) -> c == '\n').count() + 3;
		String body = endsAtEof ? "" : normalized.substring(end + FENCE.length() + 2);
		return new FrontMatterFile(fields, body, bodyLine);
	}

	String write() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndicatorIndent(2);
		options.setIndentWithIndicator(true);
		options.setWidth(Integer.MAX_VALUE);
		options.setSplitLines(false);
		// control characters pasted into the editor are kept: written as escapes in
		// double quotes, not as !!binary, which reads back as bytes
		options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
		Yaml yaml = new Yaml(new TextRepresenter(options), options);
		String front = this.fields.isEmpty() ? "" : yaml.dump(this.fields);
		return FENCE + "\n" + front + FENCE + "\n" + this.body;
	}

	/** The 1-based line of a front matter key, or the first line when absent. */
	static int lineOf(String text, String key) {
		String[] lines = text.replace("\r\n", "\n").split("\n", -1);
		for (int i = 1; i < lines.length; i++) {
			if (lines[i].equals(FENCE)) {
				break;
			}
			if (lines[i].startsWith(key + ":")) {
				return i + 1;
			}
		}
		return 1;
	}

	/**
	 * Writes text holding U+0085 double-quoted, where it is escaped: in any other style
	 * it is a line break, read back as {@code \n}.
	 */
	private static final class TextRepresenter extends Representer {

		TextRepresenter(DumperOptions options) {
			super(options);
			Represent plain = this.representers.get(String.class);
			this.representers.put(String.class,
					(data) -> (((String) data).indexOf('\u0085') >= 0)
							? representScalar(Tag.STR, (String) data, DumperOptions.ScalarStyle.DOUBLE_QUOTED)
							: plain.representData(data));
		}

	}

	/** Something wrong in a file, at a line. */
	static final class Problem extends Exception {

		private final int line;

		Problem(int line, String message) {
			super(message);
			this.line = line;
		}

		int line() {
			return this.line;
		}

	}

}
