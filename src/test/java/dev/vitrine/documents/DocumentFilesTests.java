package dev.vitrine.documents;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A render is stored only if what it shows did not change while it rendered: one begun
 * before an edit and ending after the edit's own render must not put the older content
 * back.
 */
class DocumentFilesTests {

	private static final byte[] PDF = "%PDF-1.7 test".getBytes();

	private static RunningApp app;

	private static String url;

	@BeforeAll
	static void start() {
		url = TestPostgres.newMigratedDatabase("document_files");
		app = RunningApp.startOn(url, "vitrine.roles=web");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aRenderOfTheContentAsItIsIsStored() {
		String version = profileVersion().orElseThrow();

		assertThat(files().storeIfCurrent("current.pdf", version, "application/pdf", PDF, null, this::profileVersion))
			.isTrue();

		assertThat(files().storedVersion("current.pdf")).hasValue(version);
	}

	@Test
	void aRenderWhoseContentIsEditedWhileItIsStoredWaitsForTheEditAndIsDropped() throws Exception {
		String rendered = profileVersion().orElseThrow();
		Future<Boolean> stored;
		try (Connection owner = DriverManager.getConnection(url, TestPostgres.user(), null)) {
			// an edit of the profile, not committed yet when the render ends
			owner.setAutoCommit(false);
			owner.createStatement()
				.executeUpdate("UPDATE profile SET headline = 'edited', updated_at = updated_at + interval '1 second'");
			stored = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> files().storeIfCurrent("edited.pdf", rendered, "application/pdf", PDF, null,
						this::profileVersion));
			await().atMost(Duration.ofSeconds(10)).until(() -> app.bean(JdbcClient.class).sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'
					""").query(Integer.class).single() == 1);
			owner.commit();
		}

		assertThat(stored.get(10, TimeUnit.SECONDS)).as("stored").isFalse();
		assertThat(files().storedVersion("edited.pdf")).isEmpty();
	}

	private Optional<String> profileVersion() {
		return app.bean(ContentCatalog.class).profile().map(DocumentFiles::profileVersion);
	}

	private static DocumentFiles files() {
		return app.bean(DocumentFiles.class);
	}

}
