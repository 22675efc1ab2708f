package dev.vitrine.content;

import java.util.List;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import org.springframework.stereotype.Component;

/**
 * Markdown to HTML that is safe to put in a page: CommonMark with tables, fenced code
 * marked {@code language-*} for highlighters and anchors on headings; then every tag,
 * attribute and URL not on an allow-list is dropped, so raw HTML in the source cannot
 * bring scripts, event handlers, styles or {@code javascript:} links.
 */
@Component
public class Markdown {

	private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
			HeadingAnchorExtension.create());

	private static final String[] HEADINGS = { "h1", "h2", "h3", "h4", "h5", "h6" };

	private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
		.allowElements("p", "br", "hr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "code", "kbd", "em",
				"strong", "del", "s", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td", "a", "img")
		.allowElements(HEADINGS)
		.allowAttributes("id")
		.matching(Pattern.compile("[a-zA-Z0-9_-]{1,100}"))
		.onElements(HEADINGS)
		.allowAttributes("class")
		.matching(Pattern.compile("language-[a-zA-Z0-9_+#-]{1,30}"))
		.onElements("code")
		.allowAttributes("align")
		.matching(Pattern.compile("left|right|center"))
		.onElements("th", "td")
		.allowAttributes("start")
		.matching(Pattern.compile("[0-9]{1,6}"))
		.onElements("ol")
		.allowAttributes("href")
		.onElements("a")
		.allowAttributes("src", "alt")
		.onElements("img")
		.allowAttributes("title")
		.onElements("a", "img")
		.allowUrlProtocols("http", "https", "mailto")
		.toFactory();

	private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

	private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();

	/**
	 * Deeper than any text needs, and far from what a request thread's stack holds: the
	 * renderer recurses once per level, so 100,000 {@code >} ended the thread's stack.
	 */
	static final int MAX_DEPTH = 100;

	/**
	 * @throws IllegalArgumentException, with a message for the author, when the text
	 * nests block quotes, lists or emphasis more than {@link #MAX_DEPTH} levels deep
	 */
	public String toSafeHtml(String markdown) {
		Node document = this.parser.parse((markdown != null) ? markdown : "");
		requireDepthAtMost(document, MAX_DEPTH);
		return POLICY.sanitize(this.renderer.render(document));
	}

	/**
	 * Walks the tree by its links, without recursion (what it guards against) and without
	 * a stack of its own: down to a first child, on to the next sibling, up to the
	 * parent.
	 */
	private static void requireDepthAtMost(Node root, int maxDepth) {
		Node node = root;
		int depth = 0;
		while (node != null) {
			if (node.getFirstChild() != null) {
				node = node.getFirstChild();
				if (++depth > maxDepth) {
					throw new IllegalArgumentException("The text nests block quotes, lists or emphasis more than "
							+ maxDepth + " levels deep: keep it to a few.");
				}
				continue;
			}
			while (node != root && node.getNext() == null) {
				node = node.getParent();
				depth--;
			}
			node = (node != root) ? node.getNext() : null;
		}
	}

}
