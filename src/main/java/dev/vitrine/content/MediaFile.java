package dev.vitrine.content;

/** Bytes to send for a media request, with what the response needs to describe them. */
public record MediaFile(byte[] bytes, String contentType, String etag) {
}
