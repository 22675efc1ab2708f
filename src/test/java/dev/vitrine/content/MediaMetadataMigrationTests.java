package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.vitrine.VitrineApplication;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.ops.Sha256;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.TaggedImages;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upgrade to V18: images stored with their metadata, by a version before uploads were
 * stripped or by one still running beside this one, are stored again without it by this
 * version's scheduled job, and get their size as shown and upright thumbnails.
 */
class MediaMetadataMigrationTests {

	@Test
	void imagesStoredWithTheirMetadataBeforeOrBesideTheUpgradeLoseItAndGetUprightThumbnails() throws IOException {
		String url = TestPostgres.newDatabase("media_metadata_migration");
		Flyway.configure()
			.dataSource(url, TestPostgres.user(), null)
			.locations("classpath:db/migration")
			.target("17")
			.load()
			.migrate();
		JdbcClient old = JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), url, TestPostgres.user(), null));
		byte[] photo = TaggedImages.phoneJpeg(TaggedImages.plainJpeg(80, 40), 6);
		// as the previous version stored them: the upload as sent, the file's own size
		insert(old, 1, "image/jpeg", photo, 80, 40);
		// and its thumbnail as the file stores it: sideways
		java.io.ByteArrayOutputStream sideways = new java.io.ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB), "png", sideways);
		old.sql("UPDATE media SET thumbnail = ?, thumbnail_type = 'image/png' WHERE id = 1")
			.param(sideways.toByteArray())
			.update();
		insert(old, 2, "image/png", TaggedImages.taggedPng(30, 20, 1), 30, 20);
		insert(old, 3, "image/gif", TaggedImages.taggedGif(), 12, 8);
		// a page saved with the sizes known then: the file's, and none for a WebP (row 4)
		old.sql("""
				INSERT INTO entry (kind, slug, title, body_markdown, body_html)
				VALUES ('article', 'photos', 'Photos', '![upright](/media/1/image-1) ![webp](/media/4/image-4)',
				        '<p><img src="/media/1/image-1" width="80" height="40" loading="lazy" alt="upright" />'
				        || ' <img src="/media/4/image-4" loading="lazy" alt="webp" /></p>')""").update();
		// accepted by a version that did not look inside: its segments run past its end
		byte[] damaged = java.util.Arrays.copyOf(photo, 60);
		insert(old, 5, "image/jpeg", damaged, 0, 0);

		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false")
			.run()) {
			JdbcClient jdbc = worker.getBean(JdbcClient.class);
			// an old worker beside this one stores an upload as it always did
			insert(jdbc, 4, "image/webp", TaggedImages.taggedWebp(), 0, 0);
			ContentEditor editor = worker.getBean(ContentEditor.class);

			// the one enqueued at the worker's start may have run before row 4 came
			worker.getBean(Jobs.class).enqueue(StripStoredMetadata.TYPE, new StripStoredMetadata());

			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.sql("SELECT count(*) FROM media WHERE prepared").query(Integer.class).single() == 5);
			assertThat(jdbc.sql("SELECT bytes FROM media WHERE id = 5").query(byte[].class).single())
				.as("a file whose structure cannot be followed, kept as it is")
				.isEqualTo(damaged);
			for (long id = 1; id <= 4; id++) {
				Map<String, Object> row = jdbc.sql("SELECT bytes, size, sha256 FROM media WHERE id = ?")
					.param(id)
					.query()
					.singleRow();
				byte[] bytes = (byte[]) row.get("bytes");
				assertThat(TaggedImages.tellsSecrets(bytes)).as("image %d's metadata", id).isFalse();
				assertThat(row).containsEntry("size", bytes.length).containsEntry("sha256", Sha256.hex(bytes));
			}
			MediaLibrary library = worker.getBean(MediaLibrary.class);
			Media upright = library.find(1).orElseThrow();
			assertThat(new int[] { upright.width(), upright.height() }).containsExactly(40, 80);
			Media webp = library.find(4).orElseThrow();
			assertThat(new int[] { webp.width(), webp.height() }).as("a WebP's size, read now").containsExactly(10, 5);
			assertThat(editor.entries(EntryKind.ARTICLE).getFirst().bodyHtml()).as("the saved page's sizes")
				.contains("<img src=\"/media/1/image-1\" width=\"40\" height=\"80\" loading=\"lazy\"")
				.contains("<img src=\"/media/4/image-4\" width=\"10\" height=\"5\" loading=\"lazy\"");
			await().atMost(Duration.ofSeconds(30)).until(() -> library.find(1).orElseThrow().hasThumbnail());
			BufferedImage thumbnail = ImageIO
				.read(new ByteArrayInputStream(library.thumbnail(1).orElseThrow().bytes()));
			assertThat(new int[] { thumbnail.getWidth(), thumbnail.getHeight() }).containsExactly(40, 80);
		}
	}

	private static void insert(JdbcClient jdbc, long id, String type, byte[] bytes, int width, int height) {
		jdbc.sql("""
				INSERT INTO media (id, file_name, content_type, bytes, size, sha256, width, height)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(id, "image-" + id, type, bytes, bytes.length, Sha256.hex(bytes), width, height)
			.update();
	}

}
