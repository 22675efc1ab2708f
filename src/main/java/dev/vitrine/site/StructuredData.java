package dev.vitrine.site;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.vitrine.content.Entry;
import dev.vitrine.content.Profile;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * JSON-LD (schema.org) for search engines: the owner as a Person, articles as
 * BlogPostings.
 */
@Component
class StructuredData {

	private final JsonMapper json;

	StructuredData(JsonMapper json) {
		this.json = json;
	}

	String person(Profile profile, String base) {
		return write(personData(profile, base, true));
	}

	String article(Entry entry, Profile profile, String base) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("@context", "https://schema.org");
		data.put("@type", "BlogPosting");
		data.put("headline", entry.title());
		data.put("description", entry.summary());
		data.put("url", base + entry.path());
		data.put("mainEntityOfPage", base + entry.path());
		if (entry.publishedAt() != null) {
			data.put("datePublished", Dates.iso(entry.publishedAt()));
		}
		// as the feed and sitemap date it: saved before it went live, it changed then
		data.put("dateModified", Dates.iso(entry.revisedAt()));
		data.put("keywords", String.join(", ", entry.tags()));
		data.put("author", personData(profile, base, false));
		return write(data);
	}

	private static Map<String, Object> personData(Profile profile, String base, boolean withContext) {
		Map<String, Object> person = new LinkedHashMap<>();
		if (withContext) {
			person.put("@context", "https://schema.org");
		}
		person.put("@type", "Person");
		person.put("name", profile.name());
		person.put("url", base + "/");
		if (!profile.headline().isEmpty()) {
			person.put("description", profile.headline());
		}
		if (!profile.location().isEmpty()) {
			person.put("homeLocation", Map.of("@type", "Place", "name", profile.location()));
		}
		if (!profile.linkList().isEmpty()) {
			person.put("sameAs", profile.linkList().stream().map(Profile.Link::url).toList());
		}
		return person;
	}

	/**
	 * JSON safe inside a script element: {@code <} appears only inside JSON strings,
	 * where its escape means the same, so no {@code </script>} can end the block early.
	 */
	private String write(Map<String, Object> data) {
		return this.json.writeValueAsString(data).replace("<", "\\u003c");
	}

}
