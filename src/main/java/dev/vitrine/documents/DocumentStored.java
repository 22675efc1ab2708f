package dev.vitrine.documents;

/**
 * Published when a worker has stored a newly rendered document, so that pages linking it
 * (og:image, the résumé's PDF links) are rendered again.
 *
 * @param name the document's name, e.g. {@code cards/home.png}
 */
public record DocumentStored(String name) {
}
