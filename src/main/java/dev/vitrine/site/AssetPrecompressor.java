package dev.vitrine.site;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;

/**
 * Build step, not part of the running app: writes a brotli ({@code .br}) and a gzip
 * ({@code .gz}) copy beside each text asset, at the highest levels, so that
 * {@link AssetController} serves compressed bytes without compressing per request. Run by
 * the build (exec-maven-plugin, {@code process-classes}) on
 * {@code target/classes/assets}; brotli4j is a build-only dependency, left out of the
 * jar.
 */
public final class AssetPrecompressor {

	private static final Set<String> TEXT = Set.of("css", "js", "svg", "txt", "json", "xml", "html");

	private AssetPrecompressor() {
	}

	public static void main(String[] args) throws IOException {
		Path root = Path.of(args[0]);
		Brotli4jLoader.ensureAvailability();
		Encoder.Parameters brotli = new Encoder.Parameters().setQuality(11);
		List<Path> files;
		try (Stream<Path> walk = Files.walk(root)) {
			files = walk.filter(Files::isRegularFile).filter(AssetPrecompressor::isText).toList();
		}
		long before = 0;
		long after = 0;
		for (Path file : files) {
			byte[] bytes = Files.readAllBytes(file);
			byte[] br = Encoder.compress(bytes, brotli);
			byte[] gz = gzip(bytes);
			Files.write(file.resolveSibling(file.getFileName() + ".br"), br);
			Files.write(file.resolveSibling(file.getFileName() + ".gz"), gz);
			before += bytes.length;
			after += br.length;
		}
		System.out.printf("Assets: precompressed %d files, %,d bytes -> %,d with brotli%n", files.size(), before,
				after);
	}

	private static boolean isText(Path file) {
		String name = file.getFileName().toString();
		int dot = name.lastIndexOf('.');
		return dot > 0 && TEXT.contains(name.substring(dot + 1));
	}

	private static byte[] gzip(byte[] bytes) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		try (OutputStream out = new GZIPOutputStream(buffer) {
			{
				this.def.setLevel(Deflater.BEST_COMPRESSION);
			}
		}) {
			out.write(bytes);
		}
		return buffer.toByteArray();
	}

}
