package dev.vitrine.content;

import java.time.Instant;

/**
 * A message sent through the contact form.
 *
 * @param mailedAt when it was mailed to the owner, or {@code null}
 * @param readAt when the owner opened it in the admin, or {@code null}
 */
public record ContactMessage(long id, String name, String email, String subject, String body, String remoteAddress,
		Instant createdAt, Instant mailedAt, Instant readAt) {
}
