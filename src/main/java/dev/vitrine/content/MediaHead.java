package dev.vitrine.content;

/**
 * An original image as a response describes it: read before its bytes, which
 * {@link MediaLibrary#copy} then streams.
 *
 * @param size its length in bytes
 * @param sha256 its content's hash, hex: the ETag, and what a copy checks each chunk
 * against
 */
public record MediaHead(long id, String contentType, long size, String sha256) {

	public String etag() {
		return "\"" + this.sha256 + "\"";
	}

}
