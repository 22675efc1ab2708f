package dev.vitrine.documents;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.content.MediaFile;
import dev.vitrine.content.MediaLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the owner's uploaded images inside the HTML a worker renders. The browser renders
 * offline, from a {@code data:} URL, where {@code /media/ID/NAME} neither resolves nor
 * may be fetched; so each such {@code <img>} gets its stored bytes as a {@code data:}
 * URI. Any other image stays as written, and the print template's CSP and the browser
 * refuse it: the PDF shows a broken-image sign with its alt text.
 */
final class InlineMedia {

	private static final Logger log = LoggerFactory.getLogger(InlineMedia.class);

	/** An img tag's src, as the Markdown sanitizer writes it (double quotes). */
	private static final Pattern IMG_SRC = Pattern.compile("(<img\\b[^>]*?\\ssrc=\")([^\"]*)(\")",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern MEDIA = Pattern.compile("/media/(\\d{1,18})/([^/?#]+)");

	private final MediaLibrary library;

	private final String siteUrl;

	/**
	 * @param siteUrl the site's public address, so that absolute links to its own
	 * {@code /media} are embedded too; empty when not configured
	 */
	InlineMedia(MediaLibrary library, String siteUrl) {
		this.library = library;
		this.siteUrl = siteUrl;
	}

	/** The HTML with every {@code /media} image's src replaced by its bytes. */
	String apply(String html, String document) {
		Map<String, String> done = new HashMap<>();
		Matcher img = IMG_SRC.matcher(html);
		StringBuilder out = new StringBuilder(html.length());
		while (img.find()) {
			String src = img.group(2);
			String inlined = src.startsWith("data:") ? src : done.computeIfAbsent(src, (key) -> inline(key, document));
			img.appendReplacement(out, Matcher.quoteReplacement(img.group(1) + inlined + img.group(3)));
		}
		img.appendTail(out);
		return out.toString();
	}

	private String inline(String src, String document) {
		String path = (!this.siteUrl.isEmpty() && src.startsWith(this.siteUrl + "/"))
				? src.substring(this.siteUrl.length()) : src;
		Matcher media = MEDIA.matcher(path);
		if (!media.matches()) {
			log.info("{}: image {} is not embedded (only uploaded images, /media/..., are); it shows as its alt text",
					document, abbreviate(src));
			return src;
		}
		long id = Long.parseLong(media.group(1));
		Optional<MediaFile> file = "thumbnail".equals(media.group(2))
				? this.library.thumbnail(id).or(() -> this.library.file(id)) : this.library.file(id);
		if (file.isEmpty()) {
			log.info("{}: image {} does not exist (any more); it shows as its alt text", document, src);
			return src;
		}
		return "data:" + file.get().contentType() + ";base64," + Base64.getEncoder().encodeToString(file.get().bytes());
	}

	private static String abbreviate(String src) {
		return (src.length() > 200) ? src.substring(0, 200) + "…" : src;
	}

}
