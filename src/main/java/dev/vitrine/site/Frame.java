package dev.vitrine.site;

import java.util.List;

import dev.vitrine.content.Profile;

/**
 * What every public page shows around its content.
 *
 * @param siteName the owner's name
 * @param section the current navigation section, to mark it
 * @param demo whether demo content is still on the site
 * @param stylesheet the stylesheet's URL
 */
public record Frame(String siteName, String baseUrl, Section section, boolean demo, List<Profile.Link> links,
		String stylesheet) {

	/** {@code aria-current} for a navigation link, or {@code null} when not current. */
	public String current(Section linkSection) {
		return (linkSection == this.section) ? "page" : null;
	}

}
