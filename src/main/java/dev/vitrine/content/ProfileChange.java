package dev.vitrine.content;

/** What the owner submits for the profile and résumé. */
public record ProfileChange(String name, String headline, String location, String email, String links,
		String bioMarkdown, String resumeMarkdown) {

	// the limits ContentEditor enforces, and the profile form's maxlength attributes show

	public static final int MAX_NAME = 200;

	public static final int MAX_HEADLINE = 200;

	public static final int MAX_LOCATION = 200;

	public static final int MAX_EMAIL = 200;

	public static final int MAX_LINKS = 5_000;

	public static final int MAX_MARKDOWN = EntryChange.MAX_MARKDOWN;

	public ProfileChange {
		name = strip(name);
		headline = strip(headline);
		location = strip(location);
		email = strip(email);
		links = (links != null) ? links.replace("\r\n", "\n").strip() : "";
		bioMarkdown = (bioMarkdown != null) ? bioMarkdown.replace("\r\n", "\n") : "";
		resumeMarkdown = (resumeMarkdown != null) ? resumeMarkdown.replace("\r\n", "\n") : "";
	}

	/** A change that keeps the profile as stored. */
	public static ProfileChange of(Profile profile) {
		return new ProfileChange(profile.name(), profile.headline(), profile.location(), profile.email(),
				profile.links(), profile.bioMarkdown(), profile.resumeMarkdown());
	}

	/** The same change with another résumé. */
	ProfileChange withResume(String resumeMarkdown) {
		return new ProfileChange(this.name, this.headline, this.location, this.email, this.links, this.bioMarkdown,
				resumeMarkdown);
	}

	private static String strip(String value) {
		return (value != null) ? value.strip() : "";
	}

}
