package dev.vitrine.content;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.RowMapper;

/**
 * Maps {@code entry} and {@code profile} rows; the one place that knows their columns.
 */
final class EntryRows {

	static final String COLUMNS = "id, kind, slug, title, summary, body_markdown, body_html, tags, link_url, featured,"
			+ " published, published_at, demo, version, updated_at";

	static final String PUBLIC = "published AND published_at <= now()";

	static final RowMapper<Entry> ENTRY = EntryRows::entry;

	static final RowMapper<Profile> PROFILE = (rs, row) -> Profile.builder()
		.name(rs.getString("name"))
		.headline(rs.getString("headline"))
		.location(rs.getString("location"))
		.email(rs.getString("email"))
		.links(rs.getString("links"))
		.bio(rs.getString("bio_markdown"), rs.getString("bio_html"))
		.resume(rs.getString("resume_markdown"), rs.getString("resume_html"))
		.demo(rs.getBoolean("demo"))
		.version(rs.getInt("version"))
		.updatedAt(instant(rs.getTimestamp("updated_at")))
		.build();

	private EntryRows() {
	}

	private static Entry entry(ResultSet rs, int row) throws SQLException {
		Array tags = rs.getArray("tags");
		return new Entry(rs.getLong("id"), EntryKind.fromDb(rs.getString("kind")), rs.getString("slug"),
				rs.getString("title"), rs.getString("summary"), rs.getString("body_markdown"),
				rs.getString("body_html"), List.of((String[]) tags.getArray()), rs.getString("link_url"),
				rs.getBoolean("featured"), rs.getBoolean("published"), instant(rs.getTimestamp("published_at")),
				rs.getBoolean("demo"), rs.getInt("version"), instant(rs.getTimestamp("updated_at")));
	}

	static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
