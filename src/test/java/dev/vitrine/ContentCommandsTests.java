package dev.vitrine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.EntryChange;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Media;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.content.ProfileChange;
import dev.vitrine.ops.TestDirectories;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.TaggedImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.vitrine.support.EntryChanges.anEntry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code export DIR} and {@code import DIR}: content as Markdown files, a lossless round
 * trip, idempotent imports, and bad files reported with path and line with nothing
 * half-imported.
 */
class ContentCommandsTests {

	@Test
	void contentRoundTripsThroughFilesLosslesslyAndImportIsIdempotent() throws IOException {
		String source = TestPostgres.newDatabase("transfer_source");
		String target = TestPostgres.newDatabase("transfer_target");
		seedTrickyContent(source);
		Path first = TestDirectories.fresh("export-first");
		Path second = TestDirectories.fresh("export-second");

		Run exported = run("export", first, source);
		assertThat(exported.code()).isZero();
		assertThat(exported.out()).contains("wrote    articles/yaml-hostile-title.md")
			.contains("wrote    media/1-diagram.png")
			.contains("Exported 12 files");
		assertThat(Files.readString(first.resolve("articles/yaml-hostile-title.md")))
			.startsWith("---\ntitle: '---: a title # with: YAML [trouble]'\n")
			.contains("published: false\n");

		Run imported = run("import", first, target);
		assertThat(imported.code()).isZero();
		assertThat(imported.out()).contains("[1/11] created   media/1-diagram.png")
			.contains("created   profile.md")
			.contains("Imported: 11 created, 0 changed, 0 left alone");

		assertThat(Files.readString(first.resolve("projects/with-an-image.md")))
			.contains("\nold_slugs:\n  - first-address\n  - second-address\n");
		assertThat(oldAddresses(target)).containsExactly("project first-address -> with-an-image",
				"project second-address -> with-an-image");
		assertThat(run("export", second, target).code()).isZero();
		assertThat(filesIn(second)).isEqualTo(filesIn(first));

		Run again = run("import", first, target);
		assertThat(again.out()).contains("Imported: 0 created, 0 changed, 11 left alone");
	}

	@Test
	void oldSlugsRedirectToTheImportedEntryAndAreAddedNeverTakenAway() throws IOException {
		String database = TestPostgres.newDatabase("transfer_old_slugs");
		Path dir = TestDirectories.fresh("import-old-slugs");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/kept.md"), "---\ntitle: Kept\npublished: true\n---\nBody\n");
		Files.writeString(dir.resolve("articles/other.md"),
				"---\ntitle: Other\npublished: true\nold_slugs: [taken-over]\n---\nBody\n");
		assertThat(run("import", dir, database).out()).contains("Imported: 2 created, 0 changed, 0 left alone");
		assertThat(oldAddresses(database)).containsExactly("article taken-over -> other");

		// only the old addresses are new: the entry is changed, nothing else of it
		Files.writeString(dir.resolve("articles/kept.md"),
				"---\ntitle: Kept\npublished: true\nold_slugs: older, oldest\n---\nBody\n");
		Files.writeString(dir.resolve("articles/other.md"), "---\ntitle: Other\npublished: true\n---\nBody\n");
		Run added = run("import", dir, database);

		assertThat(added.code()).as(added.err()).isZero();
		assertThat(added.out()).contains("changed   articles/kept.md")
			.contains("unchanged articles/other.md")
			.contains("Imported: 0 created, 1 changed, 1 left alone");
		assertThat(oldAddresses(database)).containsExactly("article older -> kept", "article oldest -> kept",
				"article taken-over -> other");
		assertThat(run("import", dir, database).out()).contains("Imported: 0 created, 0 changed, 2 left alone");

		Files.writeString(dir.resolve("articles/kept.md"), "---\ntitle: Kept\npublished: true\n---\nBody\n");
		assertThat(run("import", dir, database).out()).contains("Imported: 0 created, 0 changed, 2 left alone");
		assertThat(oldAddresses(database)).as("a file without them deletes nothing")
			.containsExactly("article older -> kept", "article oldest -> kept", "article taken-over -> other");
	}

	@Test
	void oldSlugsAreExportedInOneOrderWhateverTheCollationAndNeverAsAnEntrysOwnAddress() throws IOException {
		// a collation that ignores hyphens, as glibc's en_US does: a-z after ab
		String database = TestPostgres.newDatabase("transfer_collation",
				"TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted' LOCALE 'C'");
		Path dir = TestDirectories.fresh("export-collation");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/moved.md"),
				"---\ntitle: Moved\npublished: true\nold_slugs: [ab, a-z]\n---\nBody\n");
		Files.writeString(dir.resolve("articles/other.md"), "---\ntitle: Other\npublished: true\n---\nBody\n");
		assertThat(run("import", dir, database).code()).isZero();
		assertThat(jdbc(database).sql("SELECT string_agg(slug, ' ' ORDER BY slug) FROM entry_moved")
			.query(String.class)
			.single()).as("the database's own order").isEqualTo("ab a-z");
		// what a rolling deploy can leave (operations.md): another entry's own address
		jdbc(database)
			.sql("INSERT INTO entry_moved (kind, slug, entry_id) SELECT 'article', 'other', id FROM entry"
					+ " WHERE slug = 'moved'")
			.update();

		Path exported = TestDirectories.fresh("export-collation-again");
		assertThat(run("export", exported, database).code()).isZero();

		assertThat(Files.readString(exported.resolve("articles/moved.md")))
			.contains("\nold_slugs:\n  - a-z\n  - ab\n---\n");
		assertThat(run("import", exported, database).code()).as("its own export imports").isZero();
	}

	@Test
	void moreOldSlugsThanAStatementTakesParametersAreImported() throws IOException {
		String database = TestPostgres.newDatabase("transfer_many_old_slugs");
		Path dir = TestDirectories.fresh("import-many-old-slugs");
		Files.createDirectories(dir.resolve("articles"));
		// PostgreSQL's protocol counts a statement's parameters in 16 bits
		String slugs = java.util.stream.IntStream.rangeClosed(1, 70_000)
			.mapToObj((n) -> "o" + n)
			.collect(java.util.stream.Collectors.joining(", "));
		Files.writeString(dir.resolve("articles/much-moved.md"),
				"---\ntitle: Much moved\nold_slugs: [" + slugs + "]\n---\nBody\n");

		Run imported = run("import", dir, database);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(jdbc(database).sql("SELECT count(*) FROM entry_moved").query(Integer.class).single())
			.isEqualTo(70_000);
	}

	@Test
	void anOldSlugThatIsAnEntrysAddressOrTwoEntriesOldOneIsReportedAtItsLineAndNothingIsImported() throws IOException {
		String database = TestPostgres.newDatabase("transfer_bad_old_slugs");
		Path dir = TestDirectories.fresh("import-bad-old-slugs");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/stored.md"), "---\ntitle: Stored\n---\nBody\n");
		assertThat(run("import", dir, database).code()).isZero();
		Files.delete(dir.resolve("articles/stored.md"));
		Files.writeString(dir.resolve("articles/first.md"),
				"---\ntitle: First\nold_slugs: [second, shared]\n---\nBody\n");
		Files.writeString(dir.resolve("articles/second.md"), "---\ntitle: Second\n\nold_slugs: [shared]\n---\n");
		Files.writeString(dir.resolve("articles/third.md"), "---\ntitle: Third\nold_slugs: [Not A Slug]\n---\n");
		Files.writeString(dir.resolve("articles/fourth.md"), "---\ntitle: Fourth\nold_slugs: [fourth]\n---\n");

		Run run = run("import", dir, database);

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err()).contains("nothing was imported")
			.contains("articles/first.md:3: old_slugs: 'second' is the address of articles/second.md;"
					+ " an address leads to one article: remove it from one of the two")
			.contains("articles/second.md:4: old_slugs: 'shared' is an old address of articles/first.md too")
			.contains("articles/third.md:3: old_slugs 'Not A Slug' is not a slug")
			.contains("articles/fourth.md:3: old_slugs 'fourth' is this entry's own address (its file name)");

		Files.delete(dir.resolve("articles/second.md"));
		Files.delete(dir.resolve("articles/third.md"));
		Files.delete(dir.resolve("articles/fourth.md"));
		Files.writeString(dir.resolve("articles/first.md"),
				"---\ntitle: First\npublished: true\nold_slugs: [stored]\n---\nBody\n");
		Run stored = run("import", dir, database);

		assertThat(stored.code()).isEqualTo(1);
		assertThat(stored.err()).contains("articles/first.md:4: old_slugs: 'stored' is the address of another article;"
				+ " an old address redirects only while no article has it: remove it here, or rename or delete that"
				+ " article first.");
		assertThat(articles(database)).as("only the one stored before").isEqualTo(1);
		assertThat(oldAddresses(database)).isEmpty();

		// another's old address: taking it would break that entry's links without a word
		jdbc(database).sql("INSERT INTO entry_moved (kind, slug, entry_id) SELECT kind, 'gone-by', id FROM entry")
			.update();
		Files.writeString(dir.resolve("articles/first.md"),
				"---\ntitle: First\npublished: true\nold_slugs: [gone-by]\n---\nBody\n");
		Run redirecting = run("import", dir, database);

		assertThat(redirecting.code()).isEqualTo(1);
		assertThat(redirecting.err()).contains("articles/first.md:4: old_slugs: 'gone-by' is an old address of the"
				+ " article 'stored'; an address leads to one article, and an import takes none away: remove it here");
		assertThat(oldAddresses(database)).containsExactly("article gone-by -> stored");
	}

	@Test
	void anImportedImageLeavesTheNextUploadAnIdNoUploadUnderWayHasTaken() throws Exception {
		String database = TestPostgres.newMigratedDatabase("transfer_media_ids");
		String insert = "INSERT INTO media (file_name, content_type, bytes, size, sha256, width, height)"
				+ " VALUES ('u.png', 'image/png', '\\x00', 1, 'x', 0, 0)";
		for (int i = 0; i < 3; i++) {
			jdbc(database).sql(insert).update();
		}
		jdbc(database).sql("DELETE FROM media WHERE id = 2").update();
		Path dir = TestDirectories.fresh("import-media-ids");
		Files.createDirectories(dir.resolve("media"));
		Files.write(dir.resolve("media/2-imported.png"), png());

		// an upload under way: its id taken from the sequence, its row not yet seen
		try (java.sql.Connection uploading = java.sql.DriverManager.getConnection(database, TestPostgres.user(),
				null)) {
			uploading.setAutoCommit(false);
			uploading.createStatement().execute(insert);
			Run imported = run("import", dir, database);
			assertThat(imported.code()).as(imported.err()).isZero();
			uploading.commit();
		}

		// the next upload: without the fix, the id the one under way took
		jdbc(database).sql(insert).update();
		assertThat(jdbc(database).sql("SELECT count(*) FROM media").query(Integer.class).single()).isEqualTo(5);
	}

	@Test
	void whatAFolderLacksIsKeptAndWhatItHasBesideTheContentIsLeftAlone() throws IOException {
		String database = TestPostgres.newDatabase("transfer_partial");
		seedTrickyContent(database);
		Path dir = TestDirectories.fresh("export-partial");
		assertThat(run("export", dir, database).code()).isZero();
		String resume = resume(database);
		assertThat(resume).isNotEmpty();
		Files.delete(dir.resolve("resume.md"));
		Files.writeString(dir.resolve("media/.gitkeep"), "");

		Run imported = run("import", dir, database);
		Run exported = run("export", dir, database);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(resume(database)).as("the stored résumé, with no resume.md").isEqualTo(resume);
		assertThat(exported.code()).isZero();
		assertThat(dir.resolve("media/.gitkeep")).exists();
	}

	@Test
	void aResumeWithoutAProfileFileChangesTheStoredResumeOnlyAndNeedsAStoredProfile() throws IOException {
		String database = TestPostgres.newDatabase("transfer_resume_only");
		seedTrickyContent(database);
		Path dir = TestDirectories.fresh("import-resume-only");
		Files.writeString(dir.resolve("resume.md"), "---\n---\n## Experience\n\nImported alone\n");
		String name = jdbc(database).sql("SELECT name FROM profile").query(String.class).single();

		Run imported = run("import", dir, database);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(imported.out()).contains("changed   resume.md").contains("Imported: 0 created, 1 changed");
		assertThat(resume(database)).isEqualTo("## Experience\n\nImported alone\n");
		assertThat(jdbc(database).sql("SELECT name FROM profile").query(String.class).single()).isEqualTo(name);
		assertThat(run("import", dir, database).out()).contains("Imported: 0 created, 0 changed, 1 left alone");

		String empty = TestPostgres.newMigratedDatabase("transfer_resume_no_profile");
		Run refused = run("import", dir, empty);

		assertThat(refused.code()).isEqualTo(1);
		assertThat(refused.err()).contains("resume.md:1: no profile is stored for this résumé to belong to;"
				+ " put a profile.md with at least a name beside it");
	}

	@Test
	void exportRemovesTheNewFilesAnInterruptedExportLeftAndNothingElseHidden() throws IOException {
		Path dir = TestDirectories.fresh("export-leftovers");
		Files.createDirectories(dir.resolve("articles"));
		Files.createDirectories(dir.resolve("media"));
		List<String> leftovers = List.of(".profile.md.0f9a3c1e-52b4-4c7d-9e11-3a6b2f8d4c05.tmp",
				"articles/.scheduled.md.7d2e9b40-1c3f-4a85-b6e2-9f0c1d2a3b4c.tmp",
				"media/.1-diagram.png.e3b0c442-98fc-4c14-9afb-f4c8996fb924.tmp");
		List<String> kept = List.of(".notes.tmp", "articles/.draft.md.tmp", "media/.gitkeep",
				// another program's, with the same shape of name
				".editor.swp.0f9a3c1e-52b4-4c7d-9e11-3a6b2f8d4c05.tmp",
				"articles/.Notes.txt.7d2e9b40-1c3f-4a85-b6e2-9f0c1d2a3b4c.tmp");
		for (String name : leftovers) {
			Files.writeString(dir.resolve(name), "half a file");
		}
		for (String name : kept) {
			Files.writeString(dir.resolve(name), "the owner's");
		}

		Run exported = run("export", dir, seededForExports());

		assertThat(exported.code()).as(exported.err()).isZero();
		for (String name : leftovers) {
			assertThat(dir.resolve(name)).doesNotExist();
			assertThat(exported.out()).contains("removed  " + name + " (left by an interrupted export)");
		}
		for (String name : kept) {
			assertThat(dir.resolve(name)).hasContent("the owner's");
		}
	}

	@Test
	void aBackupWhoseProfileHasLinesThatAreNotLinksStillRestores() throws IOException {
		// the editor refuses such a line now; an older release stored it, and its backups
		// hold it
		String database = TestPostgres.newDatabase("transfer_old_links");
		Path dir = TestDirectories.fresh("import-old-links");
		Files.writeString(dir.resolve("profile.md"), """
				---
				name: Ada Example
				links:
				- Twitter @ada
				- GitHub https://github.com/ada
				---
				Bio
				""");

		Run imported = run("import", dir, database);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(jdbc(database).sql("SELECT links FROM profile").query(String.class).single())
			.isEqualTo("Twitter @ada\nGitHub https://github.com/ada");
	}

	@Test
	void exportLeavesMarkdownFilesThatAreNotInTheDatabase() throws IOException {
		String database = seededForExports();
		Path dir = TestDirectories.fresh("export-keeps-markdown");
		Files.createDirectories(dir.resolve("articles"));
		String draft = "---\ntitle: Written, not yet imported\n---\nDraft\n";
		Files.writeString(dir.resolve("articles/new-post.md"), draft);
		Files.writeString(dir.resolve("articles/NOTES.md"), "Ideas\n");

		Run exported = run("export", dir, database);

		assertThat(exported.code()).as(exported.err()).isZero();
		assertThat(exported.out())
			.contains("kept     articles/new-post.md (not in the database; left as is: an import creates it again)")
			.contains("kept     articles/NOTES.md (not in the database; left as is: an import creates it again)");
		assertThat(dir.resolve("articles/new-post.md")).hasContent(draft);
		assertThat(dir.resolve("articles/NOTES.md")).hasContent("Ideas\n");
		assertThat(dir.resolve("articles/yaml-hostile-title.md")).exists();
	}

	@Test
	void exportRemovesOnlyTheImageFilesOfImagesNoLongerStored() throws IOException {
		String database = seededForExports();
		Path dir = TestDirectories.fresh("export-stale-media");
		Files.createDirectories(dir.resolve("media"));
		// an image deleted since the last export, and the owner's own files beside them
		Files.write(dir.resolve("media/99-deleted-since.png"), png());
		Files.writeString(dir.resolve("media/notes.txt"), "where the images come from");
		Files.writeString(dir.resolve("media/.gitkeep"), "");

		Run exported = run("export", dir, database);

		assertThat(exported.code()).as(exported.err()).isZero();
		assertThat(exported.out()).contains("removed  media/99-deleted-since.png (no longer in the database)")
			.contains("wrote    media/1-diagram.png");
		assertThat(dir.resolve("media/99-deleted-since.png")).doesNotExist();
		assertThat(dir.resolve("media/notes.txt")).hasContent("where the images come from");
		assertThat(dir.resolve("media/.gitkeep")).exists();
	}

	@Test
	void importRefusesSymbolicLinksByNameAndAppliesNothing() throws IOException {
		String database = TestPostgres.newDatabase("transfer_import_links");
		Path elsewhere = TestDirectories.fresh("import-links-elsewhere");
		Files.writeString(elsewhere.resolve("private.md"), "---\ntitle: Private\npublished: true\n---\nSecret\n");
		Files.writeString(elsewhere.resolve("profile.md"), "---\nname: Someone else\n---\n");
		Path secretProjects = TestDirectories.fresh("import-links-projects");
		Files.writeString(secretProjects.resolve("secret.md"), "---\ntitle: Secret\npublished: true\n---\n");
		Path dir = TestDirectories.fresh("import-links");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/good-one.md"), "---\ntitle: Good one\n---\n");
		Files.createSymbolicLink(dir.resolve("articles/innocent.md"), elsewhere.resolve("private.md"));
		Files.createSymbolicLink(dir.resolve("profile.md"), elsewhere.resolve("profile.md"));
		Files.createSymbolicLink(dir.resolve("projects"), secretProjects);

		Run run = run("import", dir, database);

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err()).contains("articles/innocent.md:1: a symbolic link is not imported")
			.contains("profile.md:1: a symbolic link is not imported")
			.contains("projects:1: a symbolic link is not imported");
		assertThat(articles(database)).isZero();
		assertThat(jdbc(database).sql("SELECT count(*) FROM entry").query(Integer.class).single()).isZero();
	}

	@Test
	void exportReplacesSymbolicLinksInsteadOfWritingThroughThem() throws IOException {
		String database = seededForExports();
		Path elsewhere = TestDirectories.fresh("export-links-elsewhere");
		Path untouched = TestDirectories.fresh("export-links-untouched");
		for (String name : new String[] { "image", "article", "temporary" }) {
			Files.writeString(elsewhere.resolve(name), "precious " + name);
			Files.writeString(untouched.resolve(name), "precious " + name);
		}
		Path dir = TestDirectories.fresh("export-links");
		Files.createDirectories(dir.resolve("articles"));
		Files.createDirectories(dir.resolve("media"));
		Files.createSymbolicLink(dir.resolve("media/1-diagram.png"), elsewhere.resolve("image"));
		Files.createSymbolicLink(dir.resolve("articles/yaml-hostile-title.md"), elsewhere.resolve("article"));
		Files.createSymbolicLink(dir.resolve("articles/scheduled.md.tmp"), elsewhere.resolve("temporary"));

		Run exported = run("export", dir, database);

		assertThat(exported.code()).as(exported.err()).isZero();
		assertThat(filesIn(elsewhere)).as("the links' targets").isEqualTo(filesIn(untouched));
		assertThat(dir.resolve("media/1-diagram.png")).isRegularFile()
			.hasBinaryContent(jdbc(database).sql("SELECT bytes FROM media WHERE id = 1").query(byte[].class).single());
		assertThat(dir.resolve("articles/yaml-hostile-title.md")).isRegularFile()
			.content()
			.startsWith("---\ntitle: '---: a title # with: YAML [trouble]'\n");
		assertThat(Files.isSymbolicLink(dir.resolve("media/1-diagram.png"))).isFalse();
		assertThat(Files.isSymbolicLink(dir.resolve("articles/yaml-hostile-title.md"))).isFalse();
	}

	@Test
	void exportStopsAtAFolderThatIsASymbolicLinkAndTouchesNothingBehindIt() throws IOException {
		String database = seededForExports();
		// a git checkout keeps links: media/ pointing at a shared folder
		Path shared = TestDirectories.fresh("export-folder-link-shared");
		Files.writeString(shared.resolve("2-report.pdf"), "someone else's file, named as an export names images");
		Path dir = TestDirectories.fresh("export-folder-link");
		Files.createSymbolicLink(dir.resolve("media"), shared);

		Run exported = run("export", dir, database);

		assertThat(exported.code()).isNotZero();
		assertThat(exported.err()).contains("media is a symbolic link; export writes only into real folders");
		assertThat(filesIn(shared)).containsOnlyKeys("2-report.pdf");
		assertThat(filesIn(dir)).as("nothing written before it stopped").isEmpty();
	}

	@Test
	void aPublishedFileWithoutADateIsLeftAloneWhenImportedAgain() throws IOException {
		String database = TestPostgres.newDatabase("transfer_undated");
		Path dir = TestDirectories.fresh("import-undated");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/undated.md"), "---\ntitle: Undated\npublished: true\n---\nBody\n");
		assertThat(run("import", dir, database).out()).contains("Imported: 1 created, 0 changed, 0 left alone");
		String stored = jdbc(database).sql("SELECT version || ' ' || published_at FROM entry WHERE slug = 'undated'")
			.query(String.class)
			.single();

		Run again = run("import", dir, database);

		assertThat(again.code()).as(again.err()).isZero();
		assertThat(again.out()).contains("unchanged articles/undated.md")
			.contains("Imported: 0 created, 0 changed, 1 left alone");
		assertThat(jdbc(database).sql("SELECT version || ' ' || published_at FROM entry WHERE slug = 'undated'")
			.query(String.class)
			.single()).as("version and date").isEqualTo(stored);
	}

	@Test
	void badFilesAreReportedWithPathAndLineAndNothingIsImported() throws IOException {
		String database = TestPostgres.newDatabase("transfer_bad");
		Path dir = TestDirectories.fresh("import-bad");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/good-one.md"), "---\ntitle: Good one\npublished: true\n---\nFine.\n");
		Files.writeString(dir.resolve("articles/broken-yaml.md"), "---\ntitle: ok\ntags: [unclosed\n---\nBody\n");
		Files.writeString(dir.resolve("articles/long-title.md"),
				"---\nsummary: x\ntitle: " + "t".repeat(300) + "\n---\nBody\n");
		Files.writeString(dir.resolve("articles/Not A Slug.md"), "---\ntitle: x\n---\n");
		Files.writeString(dir.resolve("articles/odd-field.md"), "---\ntitle: x\ncolour: red\n---\n");
		Files.writeString(dir.resolve("articles/twice.md"), "---\ntitle: A\nsummary: s\ntitle: B\n---\n");
		Files.writeString(dir.resolve("articles/bad-tags.md"), "---\ntitle: Tags\ntags: [c++, java]\n---\n");
		Files.writeString(dir.resolve("articles/nul-body.md"), "---\ntitle: Nul\n---\nA \u0000 in it\n");
		Files.createDirectories(dir.resolve("media"));
		Files.writeString(dir.resolve("media/7-notes.png"), "not an image at all");

		Run run = run("import", dir, database);

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err()).contains("nothing was imported")
			.contains("articles/broken-yaml.md:4: front matter is not valid YAML")
			.contains("articles/Not A Slug.md:1: the file name must be a slug")
			.contains("articles/odd-field.md:3: unknown field 'colour'")
			.contains("articles/twice.md:4: front matter is not valid YAML: found duplicate key title")
			// in the same run: each file is checked before any is written
			.contains("articles/long-title.md:3: title: Give a title of 1 to 200 characters.")
			.contains("articles/bad-tags.md:3: tags: Tags are lower-case words or digits joined by hyphens")
			.contains("articles/nul-body.md:4: body: Remove the NUL characters")
			.contains("media/7-notes.png:1: This is not a PNG, JPEG, GIF or WebP image");
		assertThat(articles(database)).isZero();

		Files.delete(dir.resolve("articles/broken-yaml.md"));
		Files.delete(dir.resolve("articles/Not A Slug.md"));
		Files.delete(dir.resolve("articles/odd-field.md"));
		Files.delete(dir.resolve("articles/twice.md"));
		Files.delete(dir.resolve("articles/bad-tags.md"));
		Files.delete(dir.resolve("articles/nul-body.md"));
		Run invalid = run("import", dir, database);
		assertThat(invalid.code()).isEqualTo(1);
		assertThat(invalid.err()).contains("articles/long-title.md:3: title: Give a title of 1 to 200 characters.")
			.contains("media/7-notes.png:1: This is not a PNG, JPEG, GIF or WebP image");
		assertThat(articles(database)).as("the good file was rolled back with the bad one").isZero();
	}

	@Test
	void filesNotInUtf8OrTooLargeAndWhatTheDatabaseRefusesAreReportedAtTheirFileAndLineAndNothingIsImported()
			throws IOException {
		String database = TestPostgres.newDatabase("transfer_unreadable");
		Path dir = TestDirectories.fresh("import-unreadable");
		Files.createDirectories(dir.resolve("articles"));
		Files.createDirectories(dir.resolve("media"));
		Files.writeString(dir.resolve("articles/good-one.md"),
				"\uFEFF---\ntitle: Saved with a byte order mark\npublished: true\n---\nFine.\n");
		Files.write(dir.resolve("articles/latin-1.md"),
				"---\ntitle: Caf\u00e9\n---\nBody\n".getBytes(StandardCharsets.ISO_8859_1));
		Files.writeString(dir.resolve("profile.md"), "---\nname: Ada\n---\nBio\n");
		Files.writeString(dir.resolve("resume.md"), "no front matter\n");
		Files.write(dir.resolve("media/8-video.png"), new byte[6 * 1024 * 1024]);
		Files.write(dir.resolve("media/9-tagged.png"), TaggedImages.taggedPng(10, 10, 1));

		Run unreadable = run("import", dir, database);

		assertThat(unreadable.code()).isEqualTo(1);
		assertThat(unreadable.err())
			.contains("articles/latin-1.md:2: the file is not UTF-8 text (byte 0xE9); save it as UTF-8")
			.contains("resume.md:1: a content file starts with a '---' line")
			.contains("media/8-video.png:1: The file is 6.0 MB; the limit is 5.0 MB.")
			.doesNotContain("good-one")
			.doesNotContain("profile.md");

		Files.delete(dir.resolve("articles/latin-1.md"));
		Files.delete(dir.resolve("media/8-video.png"));
		Files.writeString(dir.resolve("resume.md"), "---\n---\n" + "x".repeat(EntryChange.MAX_MARKDOWN + 1));
		Run tooLong = run("import", dir, database);

		assertThat(tooLong.code()).isEqualTo(1);
		assertThat(tooLong.err()).contains("resume.md:3: body: Keep the résumé under").doesNotContain("profile.md");

		Files.writeString(dir.resolve("resume.md"), "---\n---\nExperience\n");
		// sorted before the good one: the files after a refusal are not tried
		Files.writeString(dir.resolve("articles/a-refused.md"), "---\ntitle: Refused by the database\n---\n");
		jdbc(database).sql("ALTER TABLE entry ADD CONSTRAINT test_refuses CHECK (title <> 'Refused by the database')")
			.update();
		Run refused = run("import", dir, database);

		assertThat(refused.code()).isEqualTo(1);
		assertThat(refused.err())
			.contains("articles/a-refused.md:1: the database refused it: ERROR: new row for relation"
					+ " \"entry\" violates check constraint \"test_refuses\"")
			.doesNotContain("good-one");
		assertThat(articles(database)).as("the good file was rolled back with the refused one").isZero();
		// the image and the profile went in before the refusal, and out with it
		assertThat(jdbc(database).sql("SELECT count(*) FROM media").query(Integer.class).single())
			.as("images applied before the refused file")
			.isZero();
		assertThat(jdbc(database).sql("SELECT count(*) FROM profile").query(Integer.class).single())
			.as("the profile applied before the refused file")
			.isZero();

		jdbc(database).sql("ALTER TABLE entry DROP CONSTRAINT test_refuses").update();
		Run imported = run("import", dir, database);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(jdbc(database).sql("SELECT title FROM entry ORDER BY title").query(String.class).list())
			.containsExactly("Refused by the database", "Saved with a byte order mark");
		assertThat(TaggedImages
			.tellsSecrets(jdbc(database).sql("SELECT bytes FROM media WHERE id = 9").query(byte[].class).single()))
			.as("an imported image's text chunks")
			.isFalse();
	}

	@Test
	void textWithControlCharactersPastedIntoTheEditorRoundTripsAsText() throws IOException {
		String source = TestPostgres.newDatabase("transfer_control_source");
		String target = TestPostgres.newDatabase("transfer_control_target");
		String title = "Pasted\u000Bfrom Word";
		String summary = "Start\u0001 and next\u0085line";
		try (ConfigurableApplicationContext app = worker(source)) {
			ContentEditor editor = app.getBean(ContentEditor.class);
			editor.create(EntryKind.ARTICLE, anEntry(title).slug("pasted").summary(summary).build());
			editor.saveProfile(new ProfileChange("Ada\u000BLovelace", "Engineer\u0085of engines", "London\u0001",
					"ada@example.com", "", "Bio", "Resume"));
		}
		Path dir = TestDirectories.fresh("export-control");

		assertThat(run("export", dir, source).code()).isZero();
		Run imported = run("import", dir, target);

		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(jdbc(target).sql("SELECT title, summary FROM entry WHERE slug = 'pasted'")
			.query((row, n) -> row.getString(1) + "|" + row.getString(2))
			.single()).isEqualTo(title + "|" + summary);
		assertThat(jdbc(target).sql("SELECT name, headline, location FROM profile")
			.query((row, n) -> row.getString(1) + "|" + row.getString(2) + "|" + row.getString(3))
			.single()).isEqualTo("Ada\u000BLovelace|Engineer\u0085of engines|London\u0001");
	}

	@Test
	void unquotedValuesYamlReadsAsSomethingElseThanTextAreRefusedNamingFileAndKey() throws IOException {
		String database = TestPostgres.newDatabase("transfer_not_text");
		Path dir = TestDirectories.fresh("import-not-text");
		Files.createDirectories(dir.resolve("articles"));
		Files.writeString(dir.resolve("articles/a-good-one.md"), "---\ntitle: Fine\n---\n");
		Files.writeString(dir.resolve("articles/yes.md"), "---\ntitle: yes\nsummary: 0755\n---\n");
		Files.writeString(dir.resolve("articles/on-off.md"), "---\ntitle: \"On and off\"\ntags: [on, off]\n---\n");

		Run run = run("import", dir, database);

		assertThat(run.code()).isEqualTo(1);
		assertThat(run.err())
			.contains("articles/yes.md:2: title must be text, and YAML does not read this value as text:"
					+ " put it in quotes, like title: \"...\"")
			.contains("articles/on-off.md:3: tags must be text");
		assertThat(articles(database)).as("nothing was applied").isZero();

		Files.writeString(dir.resolve("articles/yes.md"), "---\ntitle: \"yes\"\nsummary: '0755'\n---\n");
		Files.writeString(dir.resolve("articles/on-off.md"), "---\ntitle: On and off\ntags: ['on', 'off']\n---\n");
		assertThat(run("import", dir, database).code()).isZero();
		assertThat(jdbc(database).sql("SELECT title || '|' || summary FROM entry WHERE slug = 'yes'")
			.query(String.class)
			.single()).isEqualTo("yes|0755");
		assertThat(jdbc(database).sql("SELECT array_to_string(tags, ',') FROM entry WHERE slug = 'on-off'")
			.query(String.class)
			.single()).isEqualTo("on,off");
	}

	@Test
	void wrongUsageExplainsItself() {
		for (String[] wrong : new String[][] { { "import" }, { "export", "content/", "extra" },
				{ "import", "--vitrine.db.url=x" } }) {
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			int code = VitrineApplication.runCommand(wrong, new PrintStream(new ByteArrayOutputStream()),
					new PrintStream(err, true, StandardCharsets.UTF_8));

			assertThat(code).as(String.join(" ", wrong)).isEqualTo(2);
			assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: java -jar vitrine.jar export DIR");
		}
	}

	@Test
	void exportingIntoAFileSaysItIsNotAFolder() throws IOException {
		Path file = Files.writeString(TestDirectories.fresh("export-into-file").resolve("notes.txt"), "mine");

		Run exported = run("export", file, seededForExports());

		assertThat(exported.code()).isEqualTo(1);
		assertThat(exported.err()).contains("notes.txt is a file, not a folder: give a folder to export into");
		assertThat(file).hasContent("mine");
	}

	@Test
	void anArgumentThatIsNeitherACommandNorASettingIsRefusedAndHelpExplainsAllWithoutStartingTheApp() {
		for (String[] wrong : new String[][] { { "expotr", "content/" }, { "--server.port=9000", "serve" },
				{ "-Dvitrine.roles=web" } }) {
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			OptionalInt code = VitrineApplication.launch(wrong, System.in, new PrintStream(new ByteArrayOutputStream()),
					new PrintStream(err, true, StandardCharsets.UTF_8));

			assertThat(code).as(String.join(" ", wrong)).hasValue(2);
			assertThat(err.toString(StandardCharsets.UTF_8)).contains("is neither a command nor a setting")
				.contains("usage: java -jar vitrine.jar [--name=value ...]");
		}
		for (String[] help : new String[][] { { "--help" }, { "-h" }, { "help" },
				{ "--server.port=9000", "--help" } }) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			OptionalInt code = VitrineApplication.launch(help, System.in,
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

			assertThat(code).as(String.join(" ", help)).hasValue(0);
			assertThat(out.toString(StandardCharsets.UTF_8)).contains("java -jar vitrine.jar export DIR")
				.contains("java -jar vitrine.jar owner reset-password");
		}
		assertThat(VitrineApplication.launch(new String[] { "--server.port=9000", "--vitrine.roles=web" }, System.in,
				System.out, System.err))
			.as("settings alone run the app")
			.isEmpty();
		assertThat(VitrineApplication.launch(new String[0], System.in, System.out, System.err)).isEmpty();
	}

	@Test
	void aDatabaseThatCannotBeReachedIsOneLineNamingTheSettingToCheck(@TempDir Path dir) throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		String url = TestPostgres.jdbcUrl();
		String password = url.replaceFirst(".*[?&]password=([^&]*).*", "$1");
		String noSuchDatabase = url.replaceFirst("/[^/?]+(\\?|$)", "/no_such_database$1");
		Map<String, String> expected = Map.of("jdbc:postgresql://127.0.0.1:" + closed + "/vitrine",
				"Check the host and port in VITRINE_DB_URL", noSuchDatabase,
				"Check the database name in VITRINE_DB_URL, or create that database",
				"jdbc:postgresql://no-such-host.invalid/vitrine", "unknown host no-such-host.invalid",
				url.replaceFirst("password=[^&]*", "password=wrong"), "Check VITRINE_DB_USER and VITRINE_DB_PASSWORD");

		expected.forEach((database, action) -> {
			Run run = run("export", dir, database);

			assertThat(run.code()).as(database).isEqualTo(1);
			assertThat(run.err()).as(database)
				.startsWith("export failed: Could not connect to the database")
				.contains(action)
				.doesNotContain("Error creating bean")
				.doesNotContain(password)
				.doesNotContain("password=wrong")
				.hasLineCount(1);
		});
		try (Stream<Path> written = Files.list(dir)) {
			assertThat(written).isEmpty();
		}
	}

	@Test
	void anInvalidSettingIsOneLineNamingIt(@TempDir Path dir) {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = VitrineApplication.runCommand(
				new String[] { "export", dir.toString(), "--vitrine.db.url=" + seededForExports(),
						"--vitrine.db.user=" + TestPostgres.user(), "--vitrine.db.pool-size=0" },
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(code).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
				"export failed: Invalid VITRINE_DB_POOL_SIZE (vitrine.db.pool-size): 0 is not a number from 1 to 500."
						+ " Set VITRINE_DB_POOL_SIZE (or vitrine.db.pool-size) to a valid value and start again."
						+ System.lineSeparator());
	}

	private static ConfigurableApplicationContext worker(String database) {
		return new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + database, "vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker",
					"vitrine.management.port=0")
			.run();
	}

	/** Exports only read: the tests that only export share one seeded database. */
	private static String seededForExports;

	private static synchronized String seededForExports() {
		if (seededForExports == null) {
			String database = TestPostgres.newDatabase("transfer_seeded_for_exports");
			seedTrickyContent(database);
			seededForExports = database;
		}
		return seededForExports;
	}

	private static void seedTrickyContent(String database) {
		try (ConfigurableApplicationContext app = worker(database)) {
			ContentEditor editor = app.getBean(ContentEditor.class);
			Media image = app.getBean(MediaLibrary.class).store("diagram.png", png());
			editor.create(EntryKind.ARTICLE,
					anEntry("---: a title # with: YAML [trouble]").slug("yaml-hostile-title")
						.summary("Summary: \"quoted\"")
						.body("Body with a fence line\n---\nand trailing spaces   \n\n\n")
						.tags("c-sharp", "yaml")
						.published(false)
						.build());
			editor.create(EntryKind.ARTICLE,
					anEntry("Scheduled").body("Later: ünïcödé ✓")
						.publishedAt(Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS))
						.build());
			long project = editor
				.create(EntryKind.PROJECT,
						anEntry("With an image").slug("first-address")
							.body("![diagram](" + image.path() + ")")
							.link("https://example.com/x")
							.featured(true)
							.build())
				.id();
			// two old addresses, which redirect to it
			editor.update(project,
					anEntry("With an image").slug("second-address")
						.body("![diagram](" + image.path() + ")")
						.link("https://example.com/x")
						.featured(true)
						.build());
			editor.update(project,
					anEntry("With an image").body("![diagram](" + image.path() + ")")
						.link("https://example.com/x")
						.featured(true)
						.build());
		}
	}

	private static Run run(String command, Path dir, String database) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = VitrineApplication.runCommand(
				new String[] { command, dir.toString(), "--vitrine.db.url=" + database,
						"--vitrine.db.user=" + TestPostgres.user() },
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static byte[] png() {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB), "png", out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static Map<String, String> filesIn(Path dir) throws IOException {
		Map<String, String> files = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(dir.relativize(file).toString(),
						java.util.HexFormat.of().formatHex(Files.readAllBytes(file)));
			}
		}
		return files;
	}

	private static String resume(String database) {
		return jdbc(database).sql("SELECT resume_markdown FROM profile").query(String.class).single();
	}

	/** {@code KIND OLD-SLUG -> SLUG}, sorted. */
	private static List<String> oldAddresses(String database) {
		return jdbc(database).sql("""
				SELECT m.kind || ' ' || m.slug || ' -> ' || e.slug
				FROM entry_moved m JOIN entry e ON e.id = m.entry_id ORDER BY 1""").query(String.class).list();
	}

	private static int articles(String database) {
		return jdbc(database).sql("SELECT count(*) FROM entry WHERE kind = 'article'").query(Integer.class).single();
	}

	private static JdbcClient jdbc(String database) {
		return JdbcClient.create(new org.springframework.jdbc.datasource.SimpleDriverDataSource(
				new org.postgresql.Driver(), database, TestPostgres.user(), null));
	}

	private record Run(int code, String out, String err) {
	}

}
