package dev.vitrine.content;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives each uploaded image in rendered Markdown its width and height, so the browser
 * reserves its space before it loads (no layout shift), and lets it load lazily. Runs on
 * save, on HTML the sanitizer has already normalized.
 */
@Component
class ImageSizes {

	private static final Logger log = LoggerFactory.getLogger(ImageSizes.class);

	private static final Pattern UPLOADED = Pattern.compile("<img src=\"/media/([0-9]{1,18})/[^\"]*\"");

	private final JdbcClient jdbc;

	ImageSizes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	String apply(String html) {
		Matcher matcher = UPLOADED.matcher(html);
		List<Long> ids = matcher.results().map((match) -> Long.parseLong(match.group(1))).distinct().toList();
		if (ids.isEmpty()) {
			return html;
		}
		Map<Long, int[]> sizes = new HashMap<>();
		this.jdbc.sql("SELECT id, width, height FROM media WHERE id = ANY (?) AND width > 0")
			.param(ids.toArray(Long[]::new))
			.query((rs) -> {
				sizes.put(rs.getLong(1), new int[] { rs.getInt(2), rs.getInt(3) });
			});
		return matcher.reset().replaceAll((match) -> {
			int[] size = sizes.get(Long.parseLong(match.group(1)));
			String sized = (size != null) ? " width=\"" + size[0] + "\" height=\"" + size[1] + "\"" : "";
			return Matcher.quoteReplacement(match.group() + sized + " loading=\"lazy\"");
		});
	}

	/**
	 * Gives HTML saved before an image's size as shown was known (stored by an earlier
	 * version: a phone photo's size as the file stores it, a WebP's none) its size now.
	 * Each row is written only if it is still what was read; a write to an entry or the
	 * profile is a content change, and the database tells the web replicas of it (V21),
	 * so pages rendered from it are rendered again.
	 */
	void resized(long mediaId, Images.Size size) {
		Pattern image = Pattern
			.compile("(<img src=\"/media/" + mediaId + "/[^\"]*\")(?: width=\"[0-9]+\" height=\"[0-9]+\")?");
		String sized = " width=\"" + size.width() + "\" height=\"" + size.height() + "\"";
		String link = "%/media/" + mediaId + "/%";
		// an edit saved between a read and its write (with the old size) is read again
		int rounds = 0;
		while (resizedOnce(image, sized, link) && ++rounds < 3) {
			log.info("Media {}: a page changed while its image's size was written; reading it again", mediaId);
		}
	}

	/**
	 * @return whether a row changed meanwhile, so another round is needed
	 */
	private boolean resizedOnce(Pattern image, String sized, String link) {
		boolean raced = false;
		for (Map.Entry<Long, String> entry : this.jdbc.sql("SELECT id, body_html FROM entry WHERE body_html LIKE ?")
			.param(link)
			.query((rs, row) -> Map.entry(rs.getLong(1), rs.getString(2)))
			.list()) {
			String html = resize(image, entry.getValue(), sized);
			if (!html.equals(entry.getValue())) {
				raced |= this.jdbc.sql("UPDATE entry SET body_html = ? WHERE id = ? AND body_html = ?")
					.params(html, entry.getKey(), entry.getValue())
					.update() == 0;
			}
		}
		for (String column : List.of("bio_html", "resume_html")) {
			Optional<String> stored = this.jdbc.sql("SELECT %s FROM profile WHERE %<s LIKE ?".formatted(column))
				.param(link)
				.query(String.class)
				.optional();
			if (stored.isEmpty()) {
				continue;
			}
			String html = resize(image, stored.get(), sized);
			if (!html.equals(stored.get())) {
				raced |= this.jdbc.sql("UPDATE profile SET %s = ? WHERE %<s = ?".formatted(column))
					.params(html, stored.get())
					.update() == 0;
			}
		}
		return raced;
	}

	private static String resize(Pattern image, String html, String sized) {
		return image.matcher(html).replaceAll((match) -> Matcher.quoteReplacement(match.group(1) + sized));
	}

}
