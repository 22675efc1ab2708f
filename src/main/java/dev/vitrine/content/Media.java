package dev.vitrine.content;

import java.time.Instant;

/**
 * An uploaded image, without its bytes.
 *
 * @param fileName the upload's name, reduced to a safe base name
 * @param width pixels as shown, or 0 when the image's header could not be read
 * @param hasThumbnail whether the thumbnail job has run
 */
public record Media(long id, String fileName, String contentType, int size, String sha256, int width, int height,
		boolean hasThumbnail, Instant createdAt) {

	/** Where the site serves it, e.g. {@code /media/12/cat.png}. */
	public String path() {
		return "/media/" + this.id + "/" + this.fileName;
	}

	public String thumbnailPath() {
		return "/media/" + this.id + "/thumbnail";
	}

}
