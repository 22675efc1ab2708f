package dev.vitrine.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a folder of Markdown files as {@link ContentExport} writes it (see
 * {@link ContentFiles}) into the database. All or nothing: every file is checked first,
 * every problem is reported with its file and line, and nothing is written unless all are
 * good. Import only creates and changes; it never deletes what the folder lacks, and
 * running it twice changes nothing the second time. Images keep their ids, so Markdown
 * that links to {@code /media/ID/NAME} still works after an import into another database.
 */
@Component
public class ContentImport {

	/**
	 * The most a content file can hold: the Markdown's limit in chars at three UTF-8
	 * bytes each (a surrogate pair, two chars, takes four), and its front matter.
	 */
	private static final long MAX_TEXT_BYTES = 3L * EntryChange.MAX_MARKDOWN + 64 * 1024;

	private final ContentEditor editor;

	private final MediaLibrary media;

	private final TransactionTemplate transaction;

	ContentImport(ContentEditor editor, MediaLibrary media, TransactionTemplate transaction) {
		this.editor = editor;
		this.media = media;
		this.transaction = transaction;
	}

	/**
	 * Reads the folder and creates or changes content to match, in one transaction.
	 * @return what was created, changed and left alone, or the problems found (then
	 * nothing was written)
	 */
	public Report importFrom(Path dir, PrintStream progress) {
		if (!Files.isDirectory(dir)) {
			return Report.failed(List.of(dir + ": no such folder"));
		}
		List<String> problems = new ArrayList<>();
		List<Parsed> files = parse(dir, problems);
		if (!problems.isEmpty()) {
			return Report.failed(problems);
		}
		Report report = this.transaction.execute((status) -> {
			Report result = apply(dir, files, progress);
			if (!result.problems().isEmpty()) {
				status.setRollbackOnly();
			}
			return result;
		});
		return Objects.requireNonNull(report);
	}

	private List<Parsed> parse(Path dir, List<String> problems) {
		List<Parsed> parsed = new ArrayList<>();
		Path profileFile = dir.resolve(ContentFiles.PROFILE);
		Path resumeFile = dir.resolve(ContentFiles.RESUME);
		boolean linked = false;
		for (Path file : List.of(profileFile, resumeFile)) {
			if (Files.isSymbolicLink(file)) {
				problems.add(linkProblem(dir, file));
				linked = true;
			}
		}
		if (!linked && Files.exists(profileFile)) {
			boolean withResume = Files.exists(resumeFile);
			Optional<String> resume = withResume ? parse(dir, resumeFile, problems, ContentFiles::readResume)
					: Optional.of("");
			// the profile is checked even when the résumé is bad, so both are reported
			Optional<ProfileChange> profile = parse(dir, profileFile, problems,
					(text) -> ContentFiles.readProfile(text, resume.orElse("")));
			if (profile.isPresent() && resume.isPresent()) {
				ProfileFile file = new ProfileFile(profileFile, profile.get(),
						withResume ? Optional.of(resumeFile) : Optional.empty());
				Map<String, String> errors = ContentEditor.profileErrors(file.change(), false);
				if (errors.isEmpty()) {
					parsed.add(file);
				}
				problems.addAll(problems(dir, file, errors));
			}
		}
		else if (!linked && Files.exists(resumeFile)) {
			// the résumé alone changes the stored profile's résumé, as a profile.md alone
			// keeps it
			parse(dir, resumeFile, problems, ContentFiles::readResume)
				.ifPresent((markdown) -> parsed.add(new ResumeFile(resumeFile, markdown)));
		}
		for (EntryKind kind : EntryKind.values()) {
			Path folder = dir.resolve(kind.section());
			if (Files.isSymbolicLink(folder)) {
				problems.add(linkProblem(dir, folder));
				continue;
			}
			if (!Files.isDirectory(folder)) {
				continue;
			}
			for (Path file : list(dir, folder, (name) -> name.endsWith(".md"), problems)) {
				String name = file.getFileName().toString();
				String slug = name.substring(0, name.length() - 3);
				if (!Slugs.isValid(slug)) {
					problems.add(dir.relativize(file) + ":1: the file name must be a slug (lower-case letters,"
							+ " digits and single hyphens) followed by .md");
					continue;
				}
				parse(dir, file, problems, (text) -> ContentFiles.readEntry(slug, text)).ifPresent((text) -> {
					EntryFile entry = new EntryFile(file, kind, text.change(), text.oldSlugs());
					Map<String, String> errors = ContentEditor.entryErrors(entry.change());
					if (errors.isEmpty()) {
						parsed.add(entry);
					}
					problems.addAll(problems(dir, entry, errors));
				});
			}
		}
		checkOldSlugs(dir, parsed, problems);
		Path mediaFolder = dir.resolve(ContentFiles.MEDIA);
		if (Files.isSymbolicLink(mediaFolder)) {
			problems.add(linkProblem(dir, mediaFolder));
		}
		else if (Files.isDirectory(mediaFolder)) {
			// hidden files (a .gitkeep) are not images, nor anyone's mistake
			for (Path file : list(dir, mediaFolder, (name) -> !name.startsWith("."), problems)) {
				Matcher name = ContentFiles.MEDIA_FILE.matcher(file.getFileName().toString());
				if (!name.matches()) {
					problems.add(dir.relativize(file) + ":1: an image file is named ID-NAME, like 12-photo.png,"
							+ " where ID is the number its Markdown links use (/media/12/photo.png)");
				}
				else {
					try {
						// refused unread: a video saved here would take the heap
						MediaLibrary.checkSize(file.toFile().length());
						// its type from its first bytes: the whole file is read once, as
						// it is stored
						MediaLibrary.acceptedType(read(file, (in) -> in.readNBytes(ImageFormat.MAGIC_BYTES)));
						parsed.add(new ImageFile(file, Long.parseLong(name.group(1)), name.group(2)));
					}
					catch (InvalidMediaException ex) {
						problems.add(dir.relativize(file) + ":1: " + ex.getMessage());
					}
					catch (FrontMatterFile.Problem ex) {
						problems.add(dir.relativize(file) + ":" + ex.line() + ": " + ex.getMessage());
					}
				}
			}
		}
		return parsed;
	}

	/**
	 * An address is one entry's own or one entry's old one: the folder's files must agree
	 * (the database is checked as they are applied).
	 */
	private static void checkOldSlugs(Path dir, List<Parsed> parsed, List<String> problems) {
		for (EntryKind kind : EntryKind.values()) {
			List<EntryFile> files = parsed.stream()
				.filter((file) -> file instanceof EntryFile entry && entry.kind() == kind)
				.map(EntryFile.class::cast)
				.toList();
			Map<String, EntryFile> owners = new HashMap<>();
			files.forEach((file) -> owners.put(file.change().slug(), file));
			Map<String, EntryFile> redirects = new HashMap<>();
			for (EntryFile file : files) {
				for (String old : file.oldSlugs()) {
					EntryFile owner = owners.get(old);
					EntryFile other = redirects.putIfAbsent(old, file);
					if (owner != null || other != null) {
						problems.add(dir.relativize(file.path()) + ":" + lineOf(file.path(), "old_slugs")
								+ ": old_slugs: '" + old + "' is "
								+ ((owner != null) ? "the address of " + dir.relativize(owner.path())
										: "an old address of " + dir.relativize(other.path()) + " too")
								+ "; an address leads to one " + kind.noun() + ": remove it from one of the two");
					}
				}
			}
		}
	}

	/**
	 * The file read and parsed; empty when it could not be, with the problem added as
	 * {@code path:line: message}.
	 */
	private static <T> Optional<T> parse(Path dir, Path file, List<String> problems, FileParser<T> parser) {
		try {
			return Optional.of(parser.parse(text(file)));
		}
		catch (FrontMatterFile.Problem ex) {
			problems.add(dir.relativize(file) + ":" + ex.line() + ": " + ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * The regular files in a folder whose names {@code accept}s, sorted; none, with the
	 * problem added, when it cannot be read. A symbolic link {@code accept}ed is a
	 * problem.
	 */
	private static List<Path> list(Path dir, Path folder, Predicate<String> accept, List<String> problems) {
		try (Stream<Path> list = Files.list(folder)) {
			List<Path> files = list.filter((file) -> accept.test(file.getFileName().toString())).sorted().toList();
			files.stream().filter(Files::isSymbolicLink).forEach((link) -> problems.add(linkProblem(dir, link)));
			return files.stream().filter((file) -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).toList();
		}
		catch (IOException | UncheckedIOException ex) {
			problems.add(dir.relativize(folder) + ": the folder cannot be read: " + ex.getMessage());
			return List.of();
		}
	}

	private Report apply(Path dir, List<Parsed> files, PrintStream progress) {
		List<String> created = new ArrayList<>();
		List<String> changed = new ArrayList<>();
		List<String> unchanged = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		int done = 0;
		// images first, so the Markdown saved after them gets their sizes
		List<Parsed> ordered = new ArrayList<>(files.stream().filter(ImageFile.class::isInstance).toList());
		ordered.addAll(files.stream().filter((file) -> !(file instanceof ImageFile)).toList());
		for (Parsed file : ordered) {
			String name = dir.relativize(file.path()).toString();
			try {
				ImportOutcome outcome = switch (file) {
					case ProfileFile profile -> applyProfile(profile.change(), profile.withResume());
					case ResumeFile resume -> applyResume(resume.markdown());
					case EntryFile entry -> applyEntry(entry.kind(), entry.change(), entry.oldSlugs());
					case ImageFile image -> applyImage(image);
				};
				switch (outcome) {
					case CREATED -> created.add(name);
					case CHANGED -> changed.add(name);
					case UNCHANGED -> unchanged.add(name);
				}
				done++;
				progress.printf("  [%d/%d] %-9s %s%n", done, files.size(), outcome, name);
			}
			catch (InvalidMediaException ex) {
				problems.add(name + ":1: " + ex.getMessage());
			}
			catch (FrontMatterFile.Problem ex) {
				problems.add(name + ":" + ex.line() + ": " + ex.getMessage());
			}
			catch (InvalidContentException ex) {
				problems.addAll(problems(dir, file, ex.errors()));
			}
			catch (DataAccessException ex) {
				// a constraint the checks above do not know: the transaction is
				// aborted, so the files after this one cannot be tried in it
				problems.add(name + ":1: the database refused it: " + firstLine(ex.getMostSpecificCause()));
				break;
			}
		}
		return new Report(created, changed, unchanged, problems);
	}

	/**
	 * @param oldSlugs added to those the entry has; never taken away, as import deletes
	 * nothing
	 */
	private ImportOutcome applyEntry(EntryKind kind, EntryChange change, List<String> oldSlugs) {
		Optional<Entry> existing = this.editor.entry(kind, change.slug());
		if (existing.isEmpty()) {
			Entry created = this.editor.create(kind, change);
			this.editor.addOldSlugs(created.id(), oldSlugs);
			return ImportOutcome.CREATED;
		}
		Entry entry = existing.get();
		boolean same = entry.title().equals(change.title()) && entry.summary().equals(change.summary())
				&& entry.bodyMarkdown().equals(change.bodyMarkdown()) && entry.tags().equals(change.tags())
				&& entry.linkUrl().equals(change.linkUrl()) && entry.featured() == change.featured()
				&& entry.published() == change.published()
				// a file without published_at keeps a date that has passed: importing it
				// again changes nothing
				&& Objects.equals(entry.publishedAt(), ContentEditor.publishedAt(change, entry));
		boolean redirected = this.editor.addOldSlugs(entry.id(), oldSlugs);
		if (same) {
			return redirected ? ImportOutcome.CHANGED : ImportOutcome.UNCHANGED;
		}
		this.editor.update(entry.id(), change);
		return ImportOutcome.CHANGED;
	}

	private ImportOutcome applyImage(ImageFile image) throws FrontMatterFile.Problem {
		return this.media.storeWithId(image.id(), image.name(), bytes(image.path(), MediaLibrary.MAX_BYTES));
	}

	/** A résumé without {@code profile.md}: the stored profile's, with this résumé. */
	private ImportOutcome applyResume(String markdown) throws FrontMatterFile.Problem {
		Profile stored = this.editor.profile()
			.orElseThrow(() -> new FrontMatterFile.Problem(1, "no profile is stored for this résumé to belong to;"
					+ " put a " + ContentFiles.PROFILE + " with at least a name beside it"));
		// a profile is stored: CHANGED or UNCHANGED, never CREATED
		return applyProfile(ProfileChange.of(stored).withResume(markdown), true);
	}

	/**
	 * @param withResume whether the folder has a résumé: without one, the stored résumé
	 * is kept, as anything else the folder lacks is
	 */
	private ImportOutcome applyProfile(ProfileChange imported, boolean withResume) {
		Optional<Profile> existing = this.editor.profile();
		ProfileChange change = (withResume || existing.isEmpty()) ? imported
				: imported.withResume(existing.get().resumeMarkdown());
		if (existing.isPresent()) {
			Profile profile = existing.get();
			boolean same = profile.name().equals(change.name()) && profile.headline().equals(change.headline())
					&& profile.location().equals(change.location()) && profile.email().equals(change.email())
					&& profile.links().equals(change.links()) && profile.bioMarkdown().equals(change.bioMarkdown())
					&& profile.resumeMarkdown().equals(change.resumeMarkdown());
			if (same) {
				return ImportOutcome.UNCHANGED;
			}
		}
		this.editor.saveProfile(change);
		return existing.isPresent() ? ImportOutcome.CHANGED : ImportOutcome.CREATED;
	}

	/**
	 * A file's content errors, by field of {@link EntryChange} or {@link ProfileChange},
	 * as {@code path:line: key: message}, at the line of the key they are about.
	 */
	private static List<String> problems(Path dir, Parsed file, Map<String, String> errors) {
		List<String> problems = new ArrayList<>();
		errors.forEach((field, message) -> {
			Path where = (file instanceof ProfileFile profile && field.equals("resumeMarkdown"))
					? profile.resume().orElse(file.path()) : file.path();
			problems.add(dir.relativize(where) + ":" + lineOf(where, fileKey(field)) + ": " + fileKey(field) + ": "
					+ message);
		});
		return problems;
	}

	/**
	 * A link would import, and publish, whatever it points to: a private file elsewhere
	 * on the machine.
	 */
	private static String linkProblem(Path dir, Path link) {
		return dir.relativize(link) + ":1: a symbolic link is not imported; put the file itself here";
	}

	/** The line of a front matter key, or of the body's start for {@code body}. */
	private static int lineOf(Path file, String key) {
		try {
			String text = text(file);
			return key.equals("body") ? FrontMatterFile.parse(text).bodyLine() : FrontMatterFile.lineOf(text, key);
		}
		catch (FrontMatterFile.Problem ex) {
			return 1;
		}
	}

	/**
	 * The front matter key for a field of {@link EntryChange} or {@link ProfileChange}.
	 */
	private static String fileKey(String field) {
		return switch (field) {
			case "linkUrl" -> "link";
			case "publishedAt" -> "published_at";
			case "oldSlugs" -> "old_slugs";
			case "bodyMarkdown", "bioMarkdown", "resumeMarkdown" -> "body";
			case "slug" -> "file name";
			default -> field;
		};
	}

	/**
	 * A content file's text.
	 * @throws FrontMatterFile.Problem when it cannot be read, is larger than any content
	 * can be, or is not UTF-8 (at the line of its first byte that is not)
	 */
	private static String text(Path file) throws FrontMatterFile.Problem {
		byte[] bytes = bytes(file, MAX_TEXT_BYTES);
		ByteBuffer in = ByteBuffer.wrap(bytes);
		// UTF-8 never takes fewer bytes than UTF-16 takes chars
		CharBuffer out = CharBuffer.allocate(bytes.length);
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
		CoderResult result = decoder.decode(in, out, true);
		if (result.isError()) {
			int at = in.position();
			int line = 1;
			for (int i = 0; i < at; i++) {
				line += (bytes[i] == '\n') ? 1 : 0;
			}
			throw new FrontMatterFile.Problem(line, String.format(Locale.ROOT,
					"the file is not UTF-8 text (byte 0x%02X); save it as UTF-8", bytes[at] & 0xFF));
		}
		decoder.flush(out);
		String text = out.flip().toString();
		// the byte order mark some Windows editors write first
		return text.startsWith("\uFEFF") ? text.substring(1) : text;
	}

	private static byte[] bytes(Path file, long limit) throws FrontMatterFile.Problem {
		// the limit counts what is read, not what the path names now
		byte[] bytes = read(file, (in) -> in.readNBytes(Math.toIntExact(limit + 1)));
		if (bytes.length > limit) {
			throw new FrontMatterFile.Problem(1,
					"the file is over " + MediaLibrary.megabytes(limit) + ", the limit; it is not read further.");
		}
		return bytes;
	}

	private static byte[] read(Path file, Reading reading) throws FrontMatterFile.Problem {
		// not through a link put here since the folder was listed
		try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
			return reading.read(in);
		}
		catch (AccessDeniedException ex) {
			throw new FrontMatterFile.Problem(1, "the file cannot be read: permission denied");
		}
		catch (IOException ex) {
			throw new FrontMatterFile.Problem(1, "the file cannot be read: " + ex);
		}
	}

	private static String firstLine(Throwable ex) {
		String message = String.valueOf(ex.getMessage());
		int end = message.indexOf('\n');
		return (end < 0) ? message : message.substring(0, end);
	}

	@FunctionalInterface
	private interface Reading {

		byte[] read(InputStream in) throws IOException;

	}

	@FunctionalInterface
	private interface FileParser<T> {

		T parse(String text) throws FrontMatterFile.Problem;

	}

	/** A file of the folder, read and checked, not yet applied. */
	private sealed interface Parsed {

		Path path();

	}

	/** {@code profile.md}, with {@code resume.md} when there is one. */
	private record ProfileFile(Path path, ProfileChange change, Optional<Path> resume) implements Parsed {

		boolean withResume() {
			return this.resume.isPresent();
		}

	}

	/** {@code resume.md} without {@code profile.md}. */
	private record ResumeFile(Path path, String markdown) implements Parsed {
	}

	/**
	 * @param oldSlugs see {@link ContentFiles.EntryText}
	 */
	private record EntryFile(Path path, EntryKind kind, EntryChange change, List<String> oldSlugs) implements Parsed {
	}

	/** {@code media/ID-NAME}. */
	private record ImageFile(Path path, long id, String name) implements Parsed {
	}

	/**
	 * @param problems {@code file:line: message} for each problem; when any, nothing was
	 * written
	 */
	public record Report(List<String> created, List<String> changed, List<String> unchanged, List<String> problems) {

		static Report failed(List<String> problems) {
			return new Report(List.of(), List.of(), List.of(), problems);
		}

		public boolean succeeded() {
			return this.problems.isEmpty();
		}

	}

}
