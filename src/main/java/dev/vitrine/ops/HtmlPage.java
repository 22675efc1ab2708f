package dev.vitrine.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.View;

/**
 * A page rendered by the class jte compiles a template to, as a Spring MVC {@link View}.
 * Controllers call that class with the template's parameters and return this, so the
 * compiler checks every argument against the template's {@code @param}s; a model map's
 * names and types would be checked only when the page renders, and could not carry a
 * {@code null}.
 *
 * @param html the page
 */
public record HtmlPage(String html) implements View {

	private static final String CONTENT_TYPE = "text/html;charset=UTF-8";

	/**
	 * Renders a template as jte's engine does for HTML: escaped by context, no
	 * interceptor. For example
	 * {@code HtmlPage.of((out) -> JteloginGenerated.render(out, null, csrf, message))}.
	 */
	public static HtmlPage of(Consumer<HtmlTemplateOutput> template) {
		StringOutput output = new StringOutput();
		template.accept(new OwaspHtmlTemplateOutput(output));
		return new HtmlPage(output.toString());
	}

	@Override
	public String getContentType() {
		return CONTENT_TYPE;
	}

	@Override
	public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		byte[] bytes = this.html.getBytes(StandardCharsets.UTF_8);
		response.setContentType(CONTENT_TYPE);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

}
