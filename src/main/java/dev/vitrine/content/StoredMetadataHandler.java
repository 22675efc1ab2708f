package dev.vitrine.content;

import java.util.Arrays;
import java.util.List;

import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.ops.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stores each image whose row is not {@code metadata_stripped} again without its metadata
 * ({@link ImageMetadata}), with its size as shown, and makes its thumbnail again when
 * that changed (a phone photo's comes out upright), with the size in saved pages
 * ({@link ImageSizes#resized}). One image at a time, each in a statement of its own and
 * guarded by its hash: an image replaced or deleted meanwhile is left to its own upload.
 * An image whose structure cannot be followed is kept as it is, with a warning naming it.
 */
@Component
class StoredMetadataHandler implements JobHandler<StripStoredMetadata> {

	private static final Logger log = LoggerFactory.getLogger(StoredMetadataHandler.class);

	private static final int BATCH = 20;

	private final JdbcClient jdbc;

	private final Jobs jobs;

	private final ImageSizes sizes;

	StoredMetadataHandler(JdbcClient jdbc, Jobs jobs, ImageSizes sizes) {
		this.jdbc = jdbc;
		this.jobs = jobs;
		this.sizes = sizes;
	}

	@Override
	public JobType<StripStoredMetadata> type() {
		return StripStoredMetadata.TYPE;
	}

	@Override
	public void handle(StripStoredMetadata payload, JobContext context) {
		int done = 0;
		long after = 0;
		while (!context.shouldStop()) {
			List<Long> ids = this.jdbc
				.sql("SELECT id FROM media WHERE NOT metadata_stripped AND id > ? ORDER BY id LIMIT " + BATCH)
				.param(after)
				.query(Long.class)
				.list();
			if (ids.isEmpty()) {
				break;
			}
			for (long id : ids) {
				strip(id);
				done++;
			}
			after = ids.getLast();
		}
		if (done > 0) {
			log.info("Media: {} images stored before uploads were stripped looked at", done);
		}
	}

	private void strip(long id) {
		Stored stored = this.jdbc
			.sql("SELECT bytes, content_type, sha256, width, height FROM media WHERE id = ? AND NOT metadata_stripped")
			.param(id)
			.query((rs, row) -> new Stored(rs.getBytes(1), rs.getString(2), rs.getString(3),
					new Images.Size(rs.getInt(4), rs.getInt(5))))
			.optional()
			.orElse(null);
		if (stored == null) {
			return;
		}
		byte[] stripped;
		try {
			stripped = ImageMetadata.strip(stored.bytes(), stored.type());
		}
		catch (InvalidMediaException ex) {
			log.warn("Media {}: its metadata cannot be taken out, so it is kept as it is ({}); upload it again"
					+ " from an image editor", id, ex.getMessage());
			stripped = stored.bytes();
		}
		Images.Size shown = MediaLibrary.shownSize(stripped);
		int updated = this.jdbc.sql("""
				UPDATE media SET bytes = ?, size = ?, sha256 = ?, width = ?, height = ?, metadata_stripped = true
				WHERE id = ? AND sha256 = ?""")
			.params(stripped, stripped.length, Sha256.hex(stripped), shown.width(), shown.height(), id, stored.sha256())
			.update();
		boolean changed = !Arrays.equals(stripped, stored.bytes()) || !shown.equals(stored.size());
		if (updated == 1 && changed) {
			log.info("Media {}: stored again without its metadata, {} -> {} bytes", id, stored.bytes().length,
					stripped.length);
			this.jobs.enqueue(MakeThumbnail.TYPE, new MakeThumbnail(id));
			if (!shown.equals(stored.size()) && shown.pixels() > 0) {
				this.sizes.resized(id, shown);
			}
		}
	}

	private record Stored(byte[] bytes, String type, String sha256, Images.Size size) {
	}

}
