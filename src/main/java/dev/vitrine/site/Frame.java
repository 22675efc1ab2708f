package dev.vitrine.site;

import java.util.List;

import dev.vitrine.content.Profile;

/**
 * What every public page shows around its content.
 *
 * @param siteName the owner's name
 * @param section the current navigation section, e.g. {@code articles}, to mark it
 * @param demo whether demo content is still on the site
 * @param stylesheet the stylesheet's URL
 */
public record Frame(String siteName, String baseUrl, String section, boolean demo, List<Profile.Link> links,
		String stylesheet) {

	/** {@code aria-current} for a navigation link, or {@code null} when not current. */
	public String current(String linkSection) {
		return linkSection.equals(this.section) ? "page" : null;
	}

}
