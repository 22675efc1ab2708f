package dev.vitrine.content;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobOutcome;
import dev.vitrine.jobs.JobType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Prepares every image whose row is not {@code prepared}
 * ({@link ThumbnailHandler#prepare}): stored by an earlier version, or stored or
 * thumbnailed by one running beside this one. One image at a time; one that fails is
 * logged and left for the next run, and the rest go on. A run ends a minute before its
 * deadline, with what is left for the next.
 */
@Component
class StoredMetadataHandler implements JobHandler<StripStoredMetadata> {

	private static final Logger log = LoggerFactory.getLogger(StoredMetadataHandler.class);

	private static final int BATCH = 20;

	private static final Duration MARGIN = Duration.ofMinutes(1);

	private final JdbcClient jdbc;

	private final ThumbnailHandler images;

	StoredMetadataHandler(JdbcClient jdbc, ThumbnailHandler images) {
		this.jdbc = jdbc;
		this.images = images;
	}

	@Override
	public JobType<StripStoredMetadata> type() {
		return StripStoredMetadata.TYPE;
	}

	@Override
	public void handle(StripStoredMetadata payload, JobContext context) {
		Instant stopAt = context.deadline().minus(MARGIN);
		int done = 0;
		long after = 0;
		while (!context.shouldStop() && Instant.now().isBefore(stopAt)) {
			List<Long> ids = this.jdbc.sql("SELECT id FROM media WHERE NOT prepared AND id > ? ORDER BY id LIMIT ?")
				.param(after)
				.param(BATCH)
				.query(Long.class)
				.list();
			if (ids.isEmpty()) {
				break;
			}
			for (long id : ids) {
				if (context.shouldStop() || !Instant.now().isBefore(stopAt)) {
					break;
				}
				prepare(id);
				done++;
				after = id;
			}
		}
		if (done > 0) {
			log.info("Media: {} images prepared as this version stores them", done);
		}
	}

	private void prepare(long id) {
		try {
			this.images.prepare(id);
		}
		catch (JobOutcome.Discard ex) {
			log.info("Media {}: {}", id, ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Media {} could not be prepared, left for the next run: {}", id, ex.toString());
		}
	}

}
