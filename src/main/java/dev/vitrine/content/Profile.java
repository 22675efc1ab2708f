package dev.vitrine.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The site owner: shown on the home page, in the résumé and in every page's metadata.
 * Build one with {@link #builder()}: most of its fields are text.
 *
 * @param links one {@code label url} per line
 * @param version incremented on every save from the editor or an import, so the editor
 * can tell a save made since it showed the profile
 */
public record Profile(String name, String headline, String location, String email, String links, String bioMarkdown,
		String bioHtml, String resumeMarkdown, String resumeHtml, boolean demo, int version, Instant updatedAt) {

	/**
	 * The links as label and URL pairs, skipping lines that are not {@code label url}:
	 * saving refuses them, but a profile stored before it did may hold some.
	 */
	public List<Link> linkList() {
		List<Link> result = new ArrayList<>();
		for (String line : this.links.split("\n")) {
			link(line).ifPresent(result::add);
		}
		return result;
	}

	/**
	 * The link a line holds: a label, a space, and a URL starting {@code https://},
	 * {@code http://} or {@code mailto:}; empty when it holds none.
	 */
	static Optional<Link> link(String line) {
		String trimmed = line.strip();
		int space = trimmed.lastIndexOf(' ');
		if (space > 0) {
			String url = trimmed.substring(space + 1);
			if (url.startsWith("https://") || url.startsWith("http://") || url.startsWith("mailto:")) {
				return Optional.of(new Link(trimmed.substring(0, space).strip(), url));
			}
		}
		return Optional.empty();
	}

	public record Link(String label, String url) {
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Names each field; what is not set is empty, false, version 1, or the epoch. */
	public static final class Builder {

		private String name = "";

		private String headline = "";

		private String location = "";

		private String email = "";

		private String links = "";

		private String bioMarkdown = "";

		private String bioHtml = "";

		private String resumeMarkdown = "";

		private String resumeHtml = "";

		private boolean demo;

		private int version = 1;

		private Instant updatedAt = Instant.EPOCH;

		private Builder() {
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder headline(String headline) {
			this.headline = headline;
			return this;
		}

		public Builder location(String location) {
			this.location = location;
			return this;
		}

		public Builder email(String email) {
			this.email = email;
			return this;
		}

		/** One {@code label url} per line. */
		public Builder links(String links) {
			this.links = links;
			return this;
		}

		/** The bio as written and as rendered. */
		public Builder bio(String markdown, String html) {
			this.bioMarkdown = markdown;
			this.bioHtml = html;
			return this;
		}

		/** The résumé as written and as rendered. */
		public Builder resume(String markdown, String html) {
			this.resumeMarkdown = markdown;
			this.resumeHtml = html;
			return this;
		}

		public Builder demo(boolean demo) {
			this.demo = demo;
			return this;
		}

		public Builder version(int version) {
			this.version = version;
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		public Profile build() {
			return new Profile(this.name, this.headline, this.location, this.email, this.links, this.bioMarkdown,
					this.bioHtml, this.resumeMarkdown, this.resumeHtml, this.demo, this.version, this.updatedAt);
		}

	}

}
