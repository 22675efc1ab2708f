package dev.vitrine.content;

import dev.vitrine.ops.Setting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Uploaded images' settings ({@code VITRINE_MEDIA_*}).
 *
 * @param maxPixels the most pixels (width × height) an image may have: a small file can
 * claim a huge size, and decoding it whole would take gigabytes
 */
@ConfigurationProperties("vitrine.media")
record MediaSettings(@DefaultValue("40000000") long maxPixels) {

	MediaSettings {
		if (maxPixels < 1 || maxPixels > 1_000_000_000L) {
			throw Setting.of("vitrine.media.max-pixels")
				.invalid(maxPixels
						+ " is not a number of pixels from 1 to 1000000000 (e.g. 40000000 for 40 megapixels)");
		}
	}

}
