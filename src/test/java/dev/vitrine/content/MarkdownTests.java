package dev.vitrine.content;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Markdown renders what authors write and drops anything that could run in a reader's
 * browser.
 */
class MarkdownTests {

	private final Markdown markdown = new Markdown();

	@Test
	void rendersTablesFencedCodeWithItsLanguageAndHeadingAnchors() {
		String html = this.markdown.toSafeHtml("""
				## Getting started

				| Engine | Jobs/s |
				|---|--:|
				| Vitrine | 1023 |

				```java
				var x = 1 < 2;
				```

				A [link](https://example.com) and `code`.
				""");

		assertThat(html).contains("<h2 id=\"section-getting-started\">Getting started</h2>")
			.contains("<table>")
			.contains("<td align=\"right\">1023</td>")
			.contains("<code class=\"language-java\">var x &#61; 1 &lt; 2;")
			.contains("<a href=\"https://example.com\">link</a>")
			.contains("<code>code</code>");
	}

	@Test
	void headingIdsNeverTakeThePagesOwnIds() {
		// the layout's <main id="main">, the home page's "featured" and "latest"
		String html = this.markdown.toSafeHtml("""
				## Main

				## Featured

				<h3 id="latest">Written by hand</h3>
				""");

		assertThat(html).contains("<h2 id=\"section-main\">Main</h2>")
			.contains("<h2 id=\"section-featured\">Featured</h2>")
			.contains("<h3 id=\"section-latest\">Written by hand</h3>")
			.doesNotContain("id=\"main\"")
			.doesNotContain("id=\"latest\"");
	}

	@Test
	void linksToAHeadingOfTheSameTextFollowItsIdInMarkdownAndInRawHtml() {
		String html = this.markdown.toSafeHtml("""
				See [why](#why), [again](#section-why), [part two](#section-2), [top](#main) and
				[elsewhere](/articles/x#why).

				## Why

				## Section 2

				<h3 id="faq">Questions</h3>

				See [the questions](#faq), <a href="#why">why in HTML</a>, <a href='#faq'>its questions</a>,
				<a href="#main">its top</a> and <a href="#nowhere">nowhere</a>.
				""");

		assertThat(html).contains("<a href=\"#section-why\">why</a>")
			.contains("<a href=\"#section-why\">again</a>")
			.contains("<a href=\"#section-section-2\">part two</a>")
			.contains("<a href=\"#main\">top</a>")
			.contains("<a href=\"/articles/x#why\">elsewhere</a>")
			.contains("<h2 id=\"section-why\">Why</h2>")
			.contains("<h2 id=\"section-section-2\">Section 2</h2>")
			.contains("<h3 id=\"section-faq\">Questions</h3>")
			.contains("<a href=\"#section-faq\">the questions</a>")
			.contains("<a href=\"#section-why\">why in HTML</a>")
			.contains("<a href=\"#section-faq\">its questions</a>")
			.contains("<a href=\"#main\">its top</a>")
			.contains("<a href=\"#nowhere\">nowhere</a>");
	}

	@Test
	void headingsInOtherLettersThanAsciiGetIdsSpeltInAscii() {
		String html = this.markdown.toSafeHtml("""
				## Café au lait

				## Straße und Søndag

				## 日本語

				## Café au lait
				""");

		assertThat(html).contains("<h2 id=\"section-cafe-au-lait\">Café au lait</h2>")
			.contains("<h2 id=\"section-strasse-und-sondag\">Straße und Søndag</h2>")
			.contains("<h2 id=\"section-heading\">日本語</h2>")
			.contains("<h2 id=\"section-cafe-au-lait-1\">Café au lait</h2>");
	}

	@Test
	void keepsRelativeLinksAndImages() {
		assertThat(this.markdown.toSafeHtml("[home](/articles/x) ![a cat](/media/cat.png \"Cat\")"))
			.contains("<a href=\"/articles/x\">home</a>")
			.contains("<img src=\"/media/cat.png\" alt=\"a cat\" title=\"Cat\" />");
	}

	@ParameterizedTest
	@ValueSource(strings = { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
			"<a href=\"javascript:alert(1)\">x</a>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
			"[x](&#106;avascript:alert(1))", "![x](javascript:alert(1))", "<svg onload=alert(1)>",
			"<iframe src=\"https://evil.example\"></iframe>",
			"<div style=\"background:url(javascript:alert(1))\">x</div>",
			"<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<body onload=alert(1)>",
			"<object data=\"x.swf\"></object>", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
			"<form action=\"https://evil.example\"><input name=p></form>", "<meta http-equiv=refresh content=0;url=x>",
			"<details open ontoggle=alert(1)>", "<p onclick=\"alert(1)\">x</p>", "<style>*{color:red}</style>",
			"<a href=\"vbscript:msgbox(1)\">x</a>", "<<script>script>alert(1)<</script>/script>",
			"```\n</code></pre><script>alert(1)</script>\n```", "<code class=\"x onmouseover=alert(1)\">x</code>",
			"[x][ref]\n\n[ref]: javascript:alert(1)", "[x](java\tscript:alert(1))",
			"<img src=\"data:text/html;base64,PHNjcmlwdD4=\">", "<a href=\" javascript:alert(1)\">x</a>" })
	void dropsScriptsHandlersAndDangerousUrls(String attack) {
		String html = this.markdown.toSafeHtml(attack).toLowerCase(java.util.Locale.ROOT);

		assertThat(html).doesNotContain("<script")
			.doesNotContain("javascript:")
			.doesNotContain("vbscript:")
			.doesNotContain("data:text")
			.doesNotContain("<iframe")
			.doesNotContain("<object")
			.doesNotContain("<svg")
			.doesNotContain("<style")
			.doesNotContain("<form")
			.doesNotContain("<meta")
			.doesNotContain("style=")
			.doesNotContainPattern("\\son[a-z]+\\s*=");
	}

	@Test
	void nestingIsRefusedPastTheLimitWhereverItIsAndRenderedUpToIt() {
		// behind siblings at every level, where a walk that missed them would find
		// nothing
		String late = "First.\n\n- one\n- two\n\n" + "> ".repeat(Markdown.MAX_DEPTH + 1) + "deep";
		String withinLimit = "Text.\n\n" + "> ".repeat(Markdown.MAX_DEPTH / 2) + "nested";

		assertThatIllegalArgumentException().isThrownBy(() -> this.markdown.toSafeHtml(late))
			.withMessageContaining("more than " + Markdown.MAX_DEPTH + " levels deep");
		String html = this.markdown.toSafeHtml(withinLimit);
		assertThat(html).contains("nested");
		assertThat(html.split("<blockquote>", -1)).hasSize(Markdown.MAX_DEPTH / 2 + 1);
	}

	@Test
	void emptyOrMissingMarkdownRendersNothing() {
		assertThat(this.markdown.toSafeHtml(null)).isEmpty();
		assertThat(this.markdown.toSafeHtml("")).isEmpty();
	}

}
