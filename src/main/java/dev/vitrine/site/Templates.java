package dev.vitrine.site;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.Entry;
import dev.vitrine.content.Profile;
import dev.vitrine.ops.HtmlPage;
import gg.jte.generated.precompiled.site.JteentriesGenerated;
import gg.jte.generated.precompiled.site.JteentryGenerated;
import gg.jte.generated.precompiled.site.JtefeedGenerated;
import gg.jte.generated.precompiled.site.JtehomeGenerated;
import gg.jte.generated.precompiled.site.JteresumeGenerated;
import gg.jte.generated.precompiled.site.JtesitemapGenerated;
import gg.jte.generated.precompiled.site.JtetagsGenerated;
import gg.jte.html.HtmlTemplateOutput;

import org.springframework.stereotype.Component;

/**
 * The templates of pages that are cached before they are sent, one method each with the
 * template's parameters. Each calls the class jte compiles its template to at build time,
 * so the compiler checks every argument against the template's {@code @param}s (a map of
 * names to objects would fail only when the page is rendered).
 */
@Component
class Templates {

	/**
	 * What XML 1.0 does not allow of what a Java string holds (lone surrogates aside).
	 */
	private static final Pattern NOT_XML = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]");

	String home(Frame frame, PageMeta meta, Profile profile, List<Entry> projects, List<Entry> articles) {
		return render((out) -> JtehomeGenerated.render(out, null, frame, meta, profile, projects, articles));
	}

	/**
	 * A list of projects, articles or tagged entries.
	 * @param listPath where the list's pages are, for the links between them
	 */
	String entries(Frame frame, PageMeta meta, String heading, List<Entry> entries, int page, int pages,
			String listPath) {
		return render(
				(out) -> JteentriesGenerated.render(out, null, frame, meta, heading, entries, page, pages, listPath));
	}

	String entry(Frame frame, PageMeta meta, Entry entry, Profile profile) {
		return render((out) -> JteentryGenerated.render(out, null, frame, meta, entry, profile));
	}

	String tags(Frame frame, PageMeta meta, List<ContentCatalog.TagCount> tags) {
		return render((out) -> JtetagsGenerated.render(out, null, frame, meta, tags));
	}

	/**
	 * @param pdf whether the A4 PDF exists yet
	 * @param letterPdf whether the Letter PDF exists yet
	 */
	String resume(Frame frame, PageMeta meta, Profile profile, boolean pdf, boolean letterPdf) {
		return render((out) -> JteresumeGenerated.render(out, null, frame, meta, profile, pdf, letterPdf));
	}

	/**
	 * The Atom feed: jte's HTML escaping is also correct XML escaping, but it passes
	 * control characters through, and XML 1.0 allows none but tab and line breaks.
	 */
	String feed(String owner, String base, Instant updated, List<Entry> articles) {
		return xmlCharacters(render((out) -> JtefeedGenerated.render(out, null, owner, base, updated, articles)));
	}

	String sitemap(List<SitemapUrl> urls) {
		return xmlCharacters(render((out) -> JtesitemapGenerated.render(out, null, urls)));
	}

	/**
	 * U+FFFD for each character XML 1.0 does not allow: one makes the whole file
	 * unreadable.
	 */
	static String xmlCharacters(String xml) {
		return NOT_XML.matcher(xml).replaceAll("\uFFFD");
	}

	private static String render(Consumer<HtmlTemplateOutput> template) {
		return HtmlPage.of(template).html();
	}

}
