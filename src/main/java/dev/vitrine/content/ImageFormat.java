package dev.vitrine.content;

import java.util.Arrays;
import java.util.Optional;

/** The image types the media library takes, known by their content, never by a name. */
enum ImageFormat {

	PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), GIF("image/gif", "gif"), WEBP("image/webp", "webp");

	private final String mediaType;

	private final String extension;

	ImageFormat(String mediaType, String extension) {
		this.mediaType = mediaType;
		this.extension = extension;
	}

	/** How many of a file's first bytes {@link #sniff} reads: WebP's name ends at 12. */
	static final int MAGIC_BYTES = 12;

	/** The type from the file's magic bytes, or empty for anything else. */
	static Optional<ImageFormat> sniff(byte[] bytes) {
		if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of(PNG);
		}
		if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
			return Optional.of(JPEG);
		}
		if (startsWith(bytes, 0, 'G', 'I', 'F', '8') && bytes.length > 5 && (bytes[4] == '7' || bytes[4] == '9')
				&& bytes[5] == 'a') {
			return Optional.of(GIF);
		}
		if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
			return Optional.of(WEBP);
		}
		return Optional.empty();
	}

	/** The format with this media type, e.g. {@code image/png}. */
	static Optional<ImageFormat> ofMediaType(String mediaType) {
		return Arrays.stream(values()).filter((format) -> format.mediaType.equals(mediaType)).findFirst();
	}

	/** Whether the file's magic bytes say this type. */
	boolean is(byte[] bytes) {
		return sniff(bytes).filter(this::equals).isPresent();
	}

	/** As the {@code Content-Type} header and the {@code media} table say it. */
	String mediaType() {
		return this.mediaType;
	}

	/** The file name extension, without its dot. */
	String extension() {
		return this.extension;
	}

	private static boolean startsWith(byte[] bytes, int offset, int... expected) {
		if (bytes.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if ((bytes[offset + i] & 0xFF) != expected[i]) {
				return false;
			}
		}
		return true;
	}

}
