package dev.vitrine.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The site owner: shown on the home page, in the résumé and in every page's metadata.
 *
 * @param links one {@code label url} per line
 */
public record Profile(String name, String headline, String location, String email, String links, String bioMarkdown,
		String bioHtml, String resumeMarkdown, String resumeHtml, boolean demo, Instant updatedAt) {

	/**
	 * The links as label and URL pairs, skipping lines that are not {@code label url}.
	 */
	public List<Link> linkList() {
		List<Link> result = new ArrayList<>();
		for (String line : this.links.split("\n")) {
			String trimmed = line.strip();
			int space = trimmed.lastIndexOf(' ');
			if (space > 0) {
				String url = trimmed.substring(space + 1);
				if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("mailto:")) {
					result.add(new Link(trimmed.substring(0, space).strip(), url));
				}
			}
		}
		return result;
	}

	public record Link(String label, String url) {
	}

}
