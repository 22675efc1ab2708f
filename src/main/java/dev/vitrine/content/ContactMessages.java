package dev.vitrine.content;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
	 * @return the new message's id
	 */
	public long store(String name, String email, String subject, String body, String remoteAddress) {
		return this.jdbc
			.sql("INSERT INTO contact_message (name, email, subject, body, remote_address)"
					+ " VALUES (?, ?, ?, ?, ?) RETURNING id")
			.params(name, email, subject, body, remoteAddress)
			.query(Long.class)
			.single();
	}

	/** How many messages an address sent within the window: for rate limiting. */
	public int countFrom(String remoteAddress, Duration window) {
		return this.jdbc.sql("SELECT count(*) FROM contact_message WHERE remote_address = ? AND created_at > ?")
			.params(remoteAddress, EntryRows.timestamp(Instant.now().minus(window)))
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

}
