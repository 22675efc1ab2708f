package dev.vitrine.content;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes all content to a folder of Markdown files (see {@link ContentFiles}), so the
 * owner can keep it in git; {@link ContentImport} reads such a folder back. Images are
 * {@code media/ID-NAME} files. A file is replaced only by a rename, so an export stopped
 * midway leaves each file whole, old or new.
 */
@Component
public class ContentExport {

	/**
	 * The new file {@link #replace} writes before renaming it, {@code .NAME.UUID.tmp},
	 * for the names export writes in each folder: another program's temporary files stay.
	 */
	private static final String UUID_TMP = "\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp";

	private static final Pattern LEFTOVER_TOP = Pattern.compile(
			"\\.(" + Pattern.quote(ContentFiles.PROFILE) + "|" + Pattern.quote(ContentFiles.RESUME) + ")" + UUID_TMP);

	private static final Pattern LEFTOVER_ENTRY = Pattern.compile("\\.[a-z0-9]+(-[a-z0-9]+)*\\.md" + UUID_TMP);

	private static final Pattern LEFTOVER_MEDIA = Pattern.compile("\\.[0-9]{1,18}-[^/]+" + UUID_TMP);

	private final ContentEditor editor;

	private final MediaLibrary media;

	ContentExport(ContentEditor editor, MediaLibrary media) {
		this.editor = editor;
		this.media = media;
	}

	/**
	 * Writes all content to the folder, reporting each file; returns how many were
	 * written. From one snapshot of the database: an edit committed meanwhile (an app on
	 * the same database) is in all the files or in none.
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public int exportTo(Path dir, PrintStream progress) {
		if (Files.exists(dir) && !Files.isDirectory(dir)) {
			throw new IllegalArgumentException(
					dir + " is a file, not a folder: give a folder to export into (one that is missing is made)");
		}
		try {
			Files.createDirectories(dir);
			// before anything is written
			for (EntryKind kind : EntryKind.values()) {
				refuseLink(dir.resolve(kind.section()));
			}
			refuseLink(dir.resolve(ContentFiles.MEDIA));
			removeLeftovers(dir, progress);
			int written = 0;
			Optional<Profile> profile = this.editor.profile();
			if (profile.isPresent()) {
				write(dir.resolve(ContentFiles.PROFILE), ContentFiles.writeProfile(profile.get()), progress, dir);
				write(dir.resolve(ContentFiles.RESUME), ContentFiles.writeResume(profile.get()), progress, dir);
				written += 2;
			}
			for (EntryKind kind : EntryKind.values()) {
				Path folder = Files.createDirectories(dir.resolve(kind.section()));
				List<Entry> entries = this.editor.entries(kind);
				Map<Long, List<String>> oldSlugs = this.editor.oldSlugs(kind);
				List<String> names = new ArrayList<>();
				for (Entry entry : entries) {
					String name = entry.slug() + ".md";
					names.add(name);
					write(folder.resolve(name), ContentFiles.write(entry, oldSlugs.getOrDefault(entry.id(), List.of())),
							progress, dir);
					written++;
				}
				// never deleted: such a file may be a new entry not yet imported, and
				// nothing proves export wrote it
				try (Stream<Path> existing = Files.list(folder)) {
					for (Path other : existing.filter((file) -> file.getFileName().toString().endsWith(".md"))
						.filter((file) -> !names.contains(file.getFileName().toString()))
						.sorted()
						.toList()) {
						progress.println("  kept     " + dir.relativize(other)
								+ " (not in the database; left as is: an import creates it again)");
					}
				}
			}
			written += exportMedia(dir, progress);
			return written;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write to " + dir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Deletes the new files of an export that was stopped between writing one and
	 * renaming it over its file ({@link #replace}): a kill, or Ctrl-C, skips the
	 * clean-up. Only names that {@link #replace} makes, in the folders export writes.
	 */
	private static void removeLeftovers(Path dir, PrintStream progress) throws IOException {
		Map<Path, Pattern> folders = new LinkedHashMap<>();
		folders.put(dir, LEFTOVER_TOP);
		for (EntryKind kind : EntryKind.values()) {
			folders.put(dir.resolve(kind.section()), LEFTOVER_ENTRY);
		}
		folders.put(dir.resolve(ContentFiles.MEDIA), LEFTOVER_MEDIA);
		for (Map.Entry<Path, Pattern> folder : folders.entrySet()) {
			if (!Files.isDirectory(folder.getKey(), LinkOption.NOFOLLOW_LINKS)) {
				continue;
			}
			try (Stream<Path> files = Files.list(folder.getKey())) {
				for (Path leftover : files
					.filter((file) -> folder.getValue().matcher(file.getFileName().toString()).matches())
					.filter((file) -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
					.sorted()
					.toList()) {
					try {
						Files.delete(leftover);
						progress.println("  removed  " + dir.relativize(leftover) + " (left by an interrupted export)");
					}
					catch (IOException ex) {
						// in the way of nothing export writes: say so, and go on
						progress.println("  kept     " + dir.relativize(leftover)
								+ " (left by an interrupted export; cannot be removed: " + ex + ")");
					}
				}
			}
		}
	}

	/**
	 * Export writes in its folders, and deletes from {@code media/}: never through a
	 * symbolic link that puts one elsewhere (a git checkout keeps links), as import
	 * refuses them too.
	 */
	private static void refuseLink(Path folder) throws IOException {
		if (Files.isSymbolicLink(folder)) {
			throw new IOException(folder + " is a symbolic link; export writes only into real folders: replace it"
					+ " with a folder");
		}
	}

	private int exportMedia(Path dir, PrintStream progress) throws IOException {
		List<Media> all = this.media.list();
		Path folder = dir.resolve(ContentFiles.MEDIA);
		if (all.isEmpty() && !Files.isDirectory(folder)) {
			return 0;
		}
		Files.createDirectories(folder);
		List<String> names = new ArrayList<>();
		for (Media item : all) {
			String name = item.id() + "-" + item.fileName();
			names.add(name);
			Path file = folder.resolve(name);
			MediaFile bytes = this.media.file(item.id()).orElseThrow();
			// a link is replaced, never read nor written through
			if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
					|| !java.util.Arrays.equals(Files.readAllBytes(file), bytes.bytes())) {
				replace(file, bytes.bytes());
			}
			progress.println("  wrote    " + dir.relativize(file));
		}
		try (Stream<Path> existing = Files.list(folder)) {
			// only what an export writes (ID-NAME files): other
			// files the owner keeps there stay (import skips
			// hidden ones, a .gitkeep, and reports the rest)
			for (Path stale : existing.filter(Files::isRegularFile)
				.filter((file) -> ContentFiles.MEDIA_FILE.matcher(file.getFileName().toString()).matches())
				.filter((file) -> !names.contains(file.getFileName().toString()))
				.toList()) {
				Files.delete(stale);
				progress.println("  removed  " + dir.relativize(stale) + " (no longer in the database)");
			}
		}
		return all.size();
	}

	private static void write(Path file, String text, PrintStream progress, Path dir) throws IOException {
		replace(file, text.getBytes(StandardCharsets.UTF_8));
		progress.println("  wrote    " + dir.relativize(file));
	}

	/**
	 * Writes a new file beside {@code file} and renames it over it: a reader never sees
	 * half a file, and a symbolic link there is replaced, not written through (its target
	 * may be anywhere). The new file's name is unused, as CREATE_NEW makes sure: an
	 * existing link of that name would be followed too.
	 */
	private static void replace(Path file, byte[] bytes) throws IOException {
		// a name the LEFTOVER patterns match
		Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.write(temporary, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
