package dev.vitrine.content;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives each uploaded image in rendered Markdown its width and height, so the browser
 * reserves its space before it loads (no layout shift), and lets it load lazily. Runs on
 * save, on HTML the sanitizer has already normalized.
 */
@Component
class ImageSizes {

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

}
