package dev.vitrine.content;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The owner's inbox: contact messages, stored before anything tries to mail them. */
@Component
public class ContactMessages {

	private static final RowMapper<ContactMessage> ROW = (rs, row) -> new ContactMessage(rs.getLong("id"),
			rs.getString("name"), rs.getString("email"), rs.getString("subject"), rs.getString("body"),
			rs.getString("remote_address"), EntryRows.instant(rs.getTimestamp("created_at")),
			EntryRows.instant(rs.getTimestamp("mailed_at")), EntryRows.instant(rs.getTimestamp("read_at")));

	private final JdbcClient jdbc;

	ContactMessages(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Whether this form stored this text already: it was sent twice (a double click, a
	 * reload of the POST).
	 * @param submission the form's own id
	 */
	public boolean isStored(Draft message, UUID submission) {
		return this.jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM contact_message
				               WHERE submission = :submission AND name = :name AND email = :email
				                 AND subject = :subject AND body = :body)
				""").param("submission", submission).params(fields(message)).query(Boolean.class).single();
	}

	/**
	 * Stores a message. The same form with other text than it stored (sent, then changed
	 * after Back) is a message of its own.
	 * @param submission the form's own id
	 * @return the new message's id; empty when this form stored this text meanwhile (a
	 * second send from another network, which {@link #lockSender} does not hold back)
	 */
	public Optional<Long> store(Draft message, Sender sender, UUID submission) {
		return this.jdbc.sql("""
				INSERT INTO contact_message (name, email, subject, body, remote_address, sender_network, submission)
				VALUES (:name, :email, :subject, :body, :address, :network, :submission)
				ON CONFLICT (submission, md5(name || E'\\x1f' || email || E'\\x1f' || subject || E'\\x1f' || body))
				DO NOTHING
				RETURNING id
				""")
			.params(fields(message))
			.param("address", sender.remoteAddress())
			.param("network", sender.network())
			.param("submission", submission)
			.query(Long.class)
			.optional();
	}

	private static Map<String, Object> fields(Draft message) {
		return Map.of("name", message.name(), "email", message.email(), "subject", message.subject(), "body",
				message.body());
	}

	/**
	 * Waits for any other message of this sender network being stored, until the caller's
	 * transaction ends: its count and its message then come as one step, so parallel
	 * posts cannot all pass on the same count.
	 */
	public void lockSender(String senderNetwork) {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")
			.param("contact " + senderNetwork)
			.query()
			.singleRow();
	}

	/** How many messages a sender network sent within the window: for rate limiting. */
	public int countFrom(String senderNetwork, Duration window) {
		return this.jdbc.sql("SELECT count(*) FROM contact_message WHERE sender_network = ? AND created_at > ?")
			.params(senderNetwork, EntryRows.timestamp(Instant.now().minus(window)))
			.query(Integer.class)
			.single();
	}

	public Optional<ContactMessage> find(long id) {
		return this.jdbc.sql("SELECT * FROM contact_message WHERE id = ?").param(id).query(ROW).optional();
	}

	public List<ContactMessage> latest(int limit) {
		return this.jdbc.sql("SELECT * FROM contact_message ORDER BY created_at DESC, id DESC LIMIT ?")
			.param(limit)
			.query(ROW)
			.list();
	}

	public int unread() {
		return this.jdbc.sql("SELECT count(*) FROM contact_message WHERE read_at IS NULL")
			.query(Integer.class)
			.single();
	}

	public void markMailed(long id) {
		this.jdbc.sql("UPDATE contact_message SET mailed_at = now() WHERE id = ? AND mailed_at IS NULL")
			.param(id)
			.update();
	}

	public void markRead(long id) {
		this.jdbc.sql("UPDATE contact_message SET read_at = now() WHERE id = ? AND read_at IS NULL").param(id).update();
	}

	public void delete(long id) {
		this.jdbc.sql("DELETE FROM contact_message WHERE id = ?").param(id).update();
	}

	/** A message as the visitor wrote it. */
	public record Draft(String name, String email, String subject, String body) {
	}

	/**
	 * Who sent a message.
	 *
	 * @param network what the rate limit counts by: {@link dev.vitrine.ops.ClientNetwork}
	 */
	public record Sender(String remoteAddress, String network) {
	}

}
