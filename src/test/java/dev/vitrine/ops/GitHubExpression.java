package dev.vitrine.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the part of GitHub Actions' expression language that job conditions use:
 * {@code ||}, {@code &&}, {@code !}, {@code ==}, {@code !=}, parentheses, string, boolean
 * and null literals, and context paths such as {@code github.event.workflow_run.event}.
 * Like GitHub, string comparison ignores case and a missing property is null. Anything
 * else (functions, indexes) is refused, so a condition this cannot read fails the test
 * instead of passing it.
 */
final class GitHubExpression {

	private static final Pattern TOKEN = Pattern
		.compile("\\s*(\\|\\||&&|==|!=|!|\\(|\\)|'(?:[^']|'')*'|[A-Za-z_][\\w-]*(?:\\.[A-Za-z_][\\w-]*)*|\\S)");

	private final List<String> tokens = new ArrayList<>();

	private final Map<String, ?> contexts;

	private int next;

	private GitHubExpression(String expression, Map<String, ?> contexts) {
		String text = expression.strip();
		if (text.startsWith("${{") && text.endsWith("}}")) {
			text = text.substring(3, text.length() - 2);
		}
		Matcher token = TOKEN.matcher(text);
		while (token.find()) {
			this.tokens.add(token.group(1));
		}
		this.contexts = contexts;
	}

	/** Whether the condition holds with these contexts ({@code github}, ...). */
	static boolean holds(String expression, Map<String, ?> contexts) {
		GitHubExpression parser = new GitHubExpression(expression, contexts);
		Object value = parser.or();
		if (parser.next != parser.tokens.size()) {
			throw new IllegalArgumentException(
					"cannot read '" + expression + "' from " + parser.tokens.get(parser.next));
		}
		return truthy(value);
	}

	private Object or() {
		Object value = and();
		while (accept("||")) {
			Object right = and();
			value = truthy(value) ? value : right;
		}
		return value;
	}

	private Object and() {
		Object value = comparison();
		while (accept("&&")) {
			Object right = comparison();
			value = truthy(value) ? right : value;
		}
		return value;
	}

	private Object comparison() {
		Object left = unary();
		if (accept("==")) {
			return same(left, unary());
		}
		if (accept("!=")) {
			return !same(left, unary());
		}
		return left;
	}

	private Object unary() {
		if (accept("!")) {
			return !truthy(unary());
		}
		if (accept("(")) {
			Object value = or();
			if (!accept(")")) {
				throw new IllegalArgumentException("missing ) in " + this.tokens);
			}
			return value;
		}
		if (this.next >= this.tokens.size()) {
			throw new IllegalArgumentException("expression ends early: " + this.tokens);
		}
		String token = this.tokens.get(this.next++);
		if (token.startsWith("'")) {
			return token.substring(1, token.length() - 1).replace("''", "'");
		}
		return switch (token) {
			case "true" -> true;
			case "false" -> false;
			case "null" -> null;
			default -> {
				if (this.next < this.tokens.size() && this.tokens.get(this.next).equals("(")) {
					throw new IllegalArgumentException("function " + token + "() is not supported");
				}
				if (!token.matches("[A-Za-z_][\\w-]*(\\.[A-Za-z_][\\w-]*)*")) {
					throw new IllegalArgumentException("unexpected '" + token + "'");
				}
				yield lookup(token);
			}
		};
	}

	private Object lookup(String path) {
		Object value = this.contexts;
		for (String part : path.split("\\.")) {
			value = (value instanceof Map<?, ?> map) ? map.get(part) : null;
		}
		return value;
	}

	private boolean accept(String token) {
		if (this.next < this.tokens.size() && this.tokens.get(this.next).equals(token)) {
			this.next++;
			return true;
		}
		return false;
	}

	private static boolean same(Object left, Object right) {
		if (left instanceof String a && right instanceof String b) {
			return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
		}
		return (left == null) ? right == null : left.equals(right);
	}

	private static boolean truthy(Object value) {
		return switch (value) {
			case null -> false;
			case Boolean b -> b;
			case String s -> !s.isEmpty();
			case Number n -> n.doubleValue() != 0;
			default -> true;
		};
	}

}
