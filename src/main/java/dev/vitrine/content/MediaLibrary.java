package dev.vitrine.content;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.vitrine.jobs.Jobs;
import dev.vitrine.ops.Sha256;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Uploaded images, stored in PostgreSQL. The type is decided by the file's first bytes,
 * never by its name or the browser's claim: only PNG, JPEG, GIF and WebP are taken (no
 * SVG, which can carry script). A thumbnail job is enqueued in the upload's transaction.
 */
@Component
public class MediaLibrary {

	/** Uploads larger than this are refused. */
	public static final int MAX_BYTES = 5 * 1024 * 1024;

	/** How much of an original {@link #copy} reads at a time. */
	static final int CHUNK = 256 * 1024;

	private static final RowMapper<Media> ROW = (rs, row) -> new Media(rs.getLong("id"), rs.getString("file_name"),
			rs.getString("content_type"), rs.getInt("size"), rs.getString("sha256"), rs.getInt("width"),
			rs.getInt("height"), rs.getBoolean("has_thumbnail"), EntryRows.instant(rs.getTimestamp("created_at")));

	private static final String COLUMNS = "id, file_name, content_type, size, sha256, coalesce(width, 0) AS width,"
			+ " coalesce(height, 0) AS height, thumbnail IS NOT NULL AS has_thumbnail, created_at";

	private final JdbcClient jdbc;

	private final Jobs jobs;

	private final long maxPixels;

	MediaLibrary(JdbcClient jdbc, Jobs jobs, MediaSettings settings) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.maxPixels = settings.maxPixels();
	}

	/**
	 * Stores an upload and enqueues its thumbnail.
	 * @throws InvalidMediaException when it is empty, too large (in bytes or pixels) or
	 * not an image of an accepted type
	 */
	@Transactional
	public Media store(String originalName, byte[] upload) {
		ImageFormat format = acceptedType(upload);
		byte[] bytes = ImageMetadata.strip(upload, format);
		Images.Size size = dimensions(bytes);
		long id = this.jdbc.sql("""
				INSERT INTO media (file_name, content_type, bytes, size, sha256, width, height)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
			.params(safeName(originalName, format), format.mediaType(), bytes, bytes.length, Sha256.hex(bytes),
					size.width(), size.height())
			.query(Long.class)
			.single();
		this.jobs.enqueue(MakeThumbnail.TYPE, new MakeThumbnail(id));
		return find(id).orElseThrow();
	}

	public Optional<Media> find(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM media WHERE id = ?").param(id).query(ROW).optional();
	}

	public List<Media> list() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM media ORDER BY created_at DESC, id DESC").query(ROW).list();
	}

	public Optional<MediaFile> file(long id) {
		return this.jdbc.sql("SELECT bytes, content_type, sha256 FROM media WHERE id = ?")
			.param(id)
			.query((rs, row) -> new MediaFile(rs.getBytes(1), rs.getString(2), "\"" + rs.getString(3) + "\""))
			.optional();
	}

	/**
	 * Whether public content shows the image: a published entry whose date has come, the
	 * bio or the résumé links it. Images of drafts, and unused ones, are the owner's.
	 */
	public boolean isPublic(long id) {
		return this.jdbc
			.sql("""
					SELECT EXISTS (SELECT 1 FROM entry WHERE %s AND body_html LIKE :link)
					    OR EXISTS (SELECT 1 FROM profile WHERE bio_html LIKE :link OR resume_html LIKE :link)"""
				.formatted(EntryRows.PUBLIC))
			.param("link", "%/media/" + id + "/%")
			.query(Boolean.class)
			.single();
	}

	/** What a response needs to describe the original, without its bytes. */
	public Optional<MediaHead> head(long id) {
		return this.jdbc.sql("SELECT content_type, size, sha256 FROM media WHERE id = ?")
			.param(id)
			.query((rs, row) -> new MediaHead(id, rs.getString(1), rs.getLong(2), rs.getString(3)))
			.optional();
	}

	/**
	 * Writes the original to {@code out} {@value #CHUNK} bytes at a time, each read by a
	 * statement of its own. Read whole, every request for a 5 MB image held it (and the
	 * driver's copies of it) until a slow client had taken the last byte: a few dozen
	 * parallel requests for one public image took a small container's heap. This way a
	 * request holds one chunk, and no connection while it writes.
	 * @return false when the image was replaced or deleted partway: what was written is
	 * then short of the length the head announced, so the client sees it broken
	 */
	public boolean copy(MediaHead head, OutputStream out) throws IOException {
		for (long offset = 0; offset < head.size(); offset += CHUNK) {
			Optional<byte[]> chunk = this.jdbc
				.sql("SELECT substring(bytes FROM ? FOR ?) FROM media WHERE id = ? AND sha256 = ?")
				.params(Math.toIntExact(offset + 1), CHUNK, head.id(), head.sha256())
				.query(byte[].class)
				.optional();
			if (chunk.isEmpty()) {
				return false;
			}
			out.write(chunk.get());
		}
		return true;
	}

	/** The thumbnail, once the job has made it. */
	public Optional<MediaFile> thumbnail(long id) {
		return this.jdbc
			.sql("SELECT thumbnail, thumbnail_type, sha256 FROM media WHERE id = ? AND thumbnail IS NOT NULL")
			.param(id)
			.query((rs, row) -> new MediaFile(rs.getBytes(1), rs.getString(2), "\"t" + rs.getString(3) + "\""))
			.optional();
	}

	/**
	 * Stores an image under a given id, as an import does so that Markdown links to
	 * {@code /media/ID/NAME} keep working.
	 * @return created, or unchanged when that id already holds these bytes
	 * @throws InvalidMediaException when the file is not an accepted image, or the id
	 * holds a different one
	 */
	@Transactional
	ImportOutcome storeWithId(long id, String fileName, byte[] file) {
		Optional<Media> existing = find(id);
		// the file itself when it was exported before uploads were stripped, or when the
		// image could not be stripped: compared before stripping, which may refuse it
		if (existing.isPresent() && existing.get().sha256().equals(Sha256.hex(file))) {
			return ImportOutcome.UNCHANGED;
		}
		ImageFormat format = acceptedType(file);
		byte[] bytes = ImageMetadata.strip(file, format);
		if (existing.isPresent()) {
			if (existing.get().sha256().equals(Sha256.hex(bytes))) {
				return ImportOutcome.UNCHANGED;
			}
			throw new InvalidMediaException("image " + id + " already exists with different content; rename the file"
					+ " to a free number and update the Markdown that links to it");
		}
		Images.Size size = dimensions(bytes);
		this.jdbc.sql("""
				INSERT INTO media (id, file_name, content_type, bytes, size, sha256, width, height)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(id, safeName(fileName, format), format.mediaType(), bytes, bytes.length, Sha256.hex(bytes),
					size.width(), size.height())
			.update();
		// later uploads must not collide with imported ids, nor with an upload's id taken
		// meanwhile and not yet committed, which max(id) cannot see: the sequence only
		// moves forward
		this.jdbc.sql("""
				SELECT setval(sequence, greatest((SELECT max(id) FROM media), nextval(sequence)))
				FROM pg_get_serial_sequence('media', 'id') AS sequence""").query((rs, row) -> 1).list();
		this.jobs.enqueue(MakeThumbnail.TYPE, new MakeThumbnail(id));
		return ImportOutcome.CREATED;
	}

	/**
	 * Where each image is shown, by its id: the entries (drafts too) and the parts of the
	 * profile whose Markdown links to it, so that deleting one is not done blind.
	 * @return for each image shown anywhere, e.g. {@code article “Notes on caching”},
	 * {@code the résumé}
	 */
	public Map<Long, List<String>> usedBy() {
		return usedBy(null);
	}

	/** Where one image is shown, as {@link #usedBy()} says it. */
	public List<String> usedBy(long id) {
		return usedBy(Long.valueOf(id)).getOrDefault(id, List.of());
	}

	/**
	 * @param only one image's id, or null for all
	 */
	private Map<Long, List<String>> usedBy(Long only) {
		Map<Long, List<String>> used = new HashMap<>();
		this.jdbc.sql("""
				WITH m AS (SELECT id, '%/media/' || id || '/%' AS link FROM media
				           WHERE CAST(:only AS bigint) IS NULL OR id = :only)
				SELECT m.id, e.kind || ' “' || e.title || '”' AS place, 1 AS part, e.title AS title
				FROM m JOIN entry e ON e.body_html LIKE m.link
				UNION ALL
				SELECT m.id, 'the bio', 2, '' FROM m JOIN profile p ON p.bio_html LIKE m.link
				UNION ALL
				SELECT m.id, 'the résumé', 3, '' FROM m JOIN profile p ON p.resume_html LIKE m.link
				ORDER BY 1, 3, 4""").param("only", only).query((row) -> {
			used.computeIfAbsent(row.getLong("id"), (id) -> new ArrayList<>()).add(row.getString("place"));
		});
		return used;
	}

	public void delete(long id) {
		this.jdbc.sql("DELETE FROM media WHERE id = ?").param(id).update();
	}

	/**
	 * The format of an acceptable image.
	 * @throws InvalidMediaException when it is empty, too large or not an accepted image
	 */
	static ImageFormat acceptedType(byte[] bytes) {
		if (bytes.length == 0) {
			throw new InvalidMediaException("The file is empty.");
		}
		checkSize(bytes.length);
		return ImageFormat.sniff(bytes)
			.orElseThrow(() -> new InvalidMediaException(
					"This is not a PNG, JPEG, GIF or WebP image (judged by its content, not its name)."));
	}

	/**
	 * Refuses a file over {@link #MAX_BYTES}, before anyone reads it.
	 * @throws InvalidMediaException with the file's size and the limit
	 */
	public static void checkSize(long bytes) {
		if (bytes > MAX_BYTES) {
			throw new InvalidMediaException(
					"The file is " + megabytes(bytes) + "; the limit is " + megabytes(MAX_BYTES) + ".");
		}
	}

	/**
	 * A safe file name for URLs and downloads: the last path segment only, lower-case
	 * letters, digits, dots, hyphens and underscores, with the extension of the real
	 * type.
	 */
	static String safeName(String original, ImageFormat format) {
		String name = (original != null) ? original.replace('\\', '/') : "";
		name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
		int dot = name.lastIndexOf('.');
		String stem = ((dot > 0) ? name.substring(0, dot) : name).replaceAll("[^a-z0-9_-]+", "-")
			.replaceAll("^-+|-+$", "");
		if (stem.isEmpty()) {
			stem = "image";
		}
		if (stem.length() > 80) {
			stem = stem.substring(0, 80);
		}
		return stem + "." + format.extension();
	}

	/**
	 * Width and height as shown, from the image's header and EXIF orientation, never by
	 * decoding it; {@code 0, 0} when unknown (a damaged file of a valid type: kept,
	 * without thumbnail).
	 * @throws InvalidMediaException when it has more pixels than allowed
	 */
	private Images.Size dimensions(byte[] bytes) {
		Images.Size size = shownSize(bytes);
		if (size.pixels() > this.maxPixels) {
			throw new InvalidMediaException("The image is " + size.width() + " × " + size.height() + " pixels ("
					+ Images.megapixels(size.pixels()) + " megapixels); the limit is "
					+ Images.megapixels(this.maxPixels) + " megapixels. Scale it down and upload it again.");
		}
		return size;
	}

	/** Width and height as shown: a phone's portrait photo is landscape in the file. */
	static Images.Size shownSize(byte[] bytes) {
		Images.Size size = Images.size(bytes).orElse(new Images.Size(0, 0));
		boolean turned = size.pixels() > 0 && ImageMetadata.orientation(bytes) >= 5;
		return turned ? new Images.Size(size.height(), size.width()) : size;
	}

	static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

}
