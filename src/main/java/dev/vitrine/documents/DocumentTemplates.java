package dev.vitrine.documents;

import java.util.function.Consumer;

import dev.vitrine.content.Profile;
import dev.vitrine.ops.HtmlPage;
import gg.jte.generated.precompiled.documents.JtecardGenerated;
import gg.jte.generated.precompiled.documents.JteresumeprintGenerated;
import gg.jte.html.HtmlTemplateOutput;

/**
 * The templates the worker renders ({@code src/main/jte/documents}), one method each with
 * the template's parameters. Each calls the class jte compiles its template to at build
 * time, so the compiler checks every argument against the template's {@code @param}s.
 */
final class DocumentTemplates {

	private DocumentTemplates() {
	}

	/**
	 * @param label what the card is of: {@code Portfolio}, {@code Project} or
	 * {@code Article}
	 * @param siteName the owner's name
	 */
	static String card(String title, String summary, String label, String siteName) {
		return render((out) -> JtecardGenerated.render(out, null, title, summary, label, siteName));
	}

	static String resumePrint(Profile profile) {
		return render((out) -> JteresumeprintGenerated.render(out, null, profile));
	}

	private static String render(Consumer<HtmlTemplateOutput> template) {
		return HtmlPage.of(template).html();
	}

}
