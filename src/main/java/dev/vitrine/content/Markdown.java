package dev.vitrine.content;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import org.springframework.stereotype.Component;

/**
 * Markdown to HTML that is safe to put in a page: CommonMark with tables, fenced code
 * marked {@code language-*} for highlighters and anchors on headings; then every tag,
 * attribute and URL not on an allow-list is dropped, so raw HTML in the source cannot
 * bring scripts, event handlers, styles or {@code javascript:} links. Every id in the
 * result starts with {@value #ID_PREFIX}, which the pages' own ids never do, so a heading
 * called "Main" cannot take the id of the page's {@code <main>}.
 */
@Component
public class Markdown {

	private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());

	private static final String[] HEADINGS = { "h1", "h2", "h3", "h4", "h5", "h6" };

	/** Put before every id, a heading's or one written in raw HTML alike. */
	static final String ID_PREFIX = "section-";

	private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]{1,100}");

	/** An id attribute in raw HTML, as the sanitizer keeps it. */
	private static final Pattern RAW_ID = Pattern.compile("\\bid\\s*=\\s*[\"']?([a-zA-Z0-9_-]{1,100})[\"'\\s>/]");

	/**
	 * Longest heading text an id is made from: room left for a "-2" within {@link #ID}.
	 */
	private static final int ID_TEXT = 80;

	/** Letters that do not decompose into an ASCII letter and a mark. */
	/**
	 * The allow-list, with links to a fragment of the text's own ids following the prefix
	 * the sanitizer puts before those ids: one per render, as the ids are the text's.
	 */
	private static PolicyFactory policy(Set<String> ids) {
		return new HtmlPolicyBuilder()
			.allowElements("p", "br", "hr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "code", "kbd",
					"em", "strong", "del", "s", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td", "a", "img")
			.allowElements(HEADINGS)
			.allowAttributes("id")
			.matching((element, attribute, value) -> ID.matcher(value).matches() ? ID_PREFIX + value : null)
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
			.matching((element, attribute, value) -> (value.startsWith("#") && ids.contains(value.substring(1)))
					? "#" + ID_PREFIX + value.substring(1) : value)
			.onElements("a")
			.allowAttributes("src", "alt")
			.onElements("img")
			.allowAttributes("title")
			.onElements("a", "img")
			.allowUrlProtocols("http", "https", "mailto")
			.toFactory();
	}

	private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

	private final HtmlRenderer renderer = HtmlRenderer.builder()
		.extensions(EXTENSIONS)
		.attributeProviderFactory((context) -> new HeadingIds())
		.build();

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
		return policy(idsOf(document)).sanitize(this.renderer.render(document));
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

	/**
	 * The ids the text gives: its headings' by their text, and those written in raw HTML.
	 * A link to one of them ({@code [see below](#why)} to {@code ## Why}, or {@code <a
	 * href="#why">}) follows the prefix the sanitizer puts before that id. Any other
	 * fragment is left alone: {@code #main} is the page's own, and {@code #section-why}
	 * is already the id the page shows.
	 */
	private static Set<String> idsOf(Node document) {
		HeadingIds ids = new HeadingIds();
		Set<String> found = new HashSet<>();
		document.accept(new AbstractVisitor() {
			@Override
			public void visit(Heading heading) {
				found.add(ids.idOf(heading));
			}

			@Override
			public void visit(HtmlBlock html) {
				rawIds(html.getLiteral());
			}

			@Override
			public void visit(HtmlInline html) {
				rawIds(html.getLiteral());
			}

			private void rawIds(String html) {
				Matcher id = RAW_ID.matcher(html);
				while (id.find()) {
					found.add(id.group(1));
				}
			}
		});
		return found;
	}

	/**
	 * The heading's text as ASCII, as the id allows ({@link Slugs#asciiFolded}: "Café" is
	 * "cafe", "ß" is "ss"), its spaces collapsed and its length capped.
	 */
	static String asciiFolded(String text) {
		String words = Slugs.asciiFolded(text).strip().replaceAll("\\s+", " ");
		return (words.length() > ID_TEXT) ? words.substring(0, ID_TEXT).strip() : words;
	}

	/**
	 * Gives each heading an id from its text, folded to ASCII, unique within the text
	 * ("-1", "-2" after a repeat; "heading" when nothing is left of it). One per render.
	 */
	private static final class HeadingIds implements AttributeProvider {

		private final IdGenerator ids = IdGenerator.builder().defaultId("heading").build();

		@Override
		public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
			if (node instanceof Heading heading) {
				attributes.put("id", idOf(heading));
			}
		}

		/** The next heading's id: called for each heading in the text's order. */
		String idOf(Heading heading) {
			StringBuilder text = new StringBuilder();
			heading.accept(new AbstractVisitor() {
				@Override
				public void visit(Text literal) {
					text.append(literal.getLiteral());
				}

				@Override
				public void visit(Code code) {
					text.append(code.getLiteral());
				}
			});
			return this.ids.generateId(asciiFolded(text.toString()));
		}

	}

}
