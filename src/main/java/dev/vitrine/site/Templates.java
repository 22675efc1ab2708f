package dev.vitrine.site;

import java.util.Map;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import org.springframework.stereotype.Component;

/** Renders a jte template to a string, for pages that are cached before they are sent. */
@Component
class Templates {

	private final TemplateEngine engine;

	Templates(TemplateEngine engine) {
		this.engine = engine;
	}

	String render(String name, Map<String, Object> params) {
		StringOutput output = new StringOutput();
		this.engine.render(name + ".jte", params, output);
		return output.toString();
	}

}
