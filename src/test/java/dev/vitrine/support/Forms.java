package dev.vitrine.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/** What a browser would send for a page's form as shown, to change and post. */
public final class Forms {

	private Forms() {
	}

	/**
	 * The fields of the form posting to {@code action}, hidden ones included and unticked
	 * checkboxes left out; without the CSRF token, which {@link WebSession} adds.
	 * @throws IllegalArgumentException when the page has no such form
	 */
	public static Map<String, String> fields(String html, String action) {
		Element form = Jsoup.parse(html).selectFirst("form[action=" + action + "]");
		if (form == null) {
			throw new IllegalArgumentException("no form posting to " + action + " in:\n" + html);
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element field : form.select("input[name], textarea[name]")) {
			if (!field.attr("type").equals("checkbox") || field.hasAttr("checked")) {
				fields.put(field.attr("name"), field.tagName().equals("textarea") ? field.wholeText() : field.val());
			}
		}
		fields.remove("_csrf");
		return fields;
	}

}
