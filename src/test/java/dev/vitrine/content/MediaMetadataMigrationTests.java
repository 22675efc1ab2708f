package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.vitrine.VitrineApplication;
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
 * The upgrade to V18: images stored with their metadata, before uploads were stripped,
 * are stored again without it by a worker of the new version, and get upright thumbnails.
 */
class MediaMetadataMigrationTests {

	@Test
	void imagesStoredWithTheirMetadataBeforeTheUpgradeLoseItAndGetUprightThumbnails() throws IOException {
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
		byte[] png = TaggedImages.taggedPng(30, 20);
		// as the previous version stored them: the upload as sent, the file's own size
		insert(old, 1, "image/jpeg", photo, 80, 40);
		insert(old, 2, "image/png", png, 30, 20);

		try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + url, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0", "vitrine.content.demo=false")
			.run()) {
			JdbcClient jdbc = worker.getBean(JdbcClient.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.sql("SELECT count(*) FROM media WHERE thumbnail IS NOT NULL")
					.query(Integer.class)
					.single() == 2);

			for (long id : new long[] { 1, 2 }) {
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
