package dev.vitrine.images;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.dockerjava.api.DockerClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What an image ships, read from the engine's {@code save} archive in one pass: the files
 * of its filesystem (its layers applied in order, deletions included) and its size with
 * every layer gzip-compressed, which is what a registry stores and a host pulls.
 */
record ImageArchive(String image, long compressedBytes, long onDiskBytes, Set<String> files) {

	private static final Pattern LAYERS = Pattern.compile("\"Layers\"\\s*:\\s*\\[([^]]*)]");

	private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

	/**
	 * Reads the image's archive.
	 * @param compress whether to gzip every layer for the compressed size (seconds of CPU
	 * per hundred MB); without it the size is unknown
	 */
	static ImageArchive read(DockerClient engine, String image, boolean compress) throws IOException {
		Map<String, Layer> layers = new HashMap<>();
		String manifest = null;
		try (InputStream saved = engine.saveImageCmd(image).exec();
				TarArchiveInputStream archive = new TarArchiveInputStream(new BufferedInputStream(saved))) {
			TarArchiveEntry entry;
			while ((entry = archive.getNextEntry()) != null) {
				String name = entry.getName();
				if (!entry.isFile()) {
					continue;
				}
				if (name.equals("manifest.json")) {
					manifest = new String(archive.readAllBytes(), StandardCharsets.UTF_8);
				}
				// docker-archive: HASH.tar; OCI layout (Docker 25 on): blobs/sha256/HASH
				else if (name.endsWith(".tar") || name.startsWith("blobs/")) {
					Layer layer = Layer.read(archive, compress);
					if (layer != null) {
						layers.put(name, layer);
					}
				}
			}
		}
		if (manifest == null) {
			throw new AssertionError("the saved archive of " + image + " has no manifest.json");
		}
		Matcher listed = LAYERS.matcher(manifest);
		if (!listed.find()) {
			throw new AssertionError("no layers in the manifest of " + image + ": " + manifest);
		}
		long compressed = 0;
		Set<String> counted = new HashSet<>();
		Set<String> files = new LinkedHashSet<>();
		Matcher name = QUOTED.matcher(listed.group(1));
		while (name.find()) {
			Layer layer = layers.get(name.group(1));
			if (layer == null) {
				throw new AssertionError("layer " + name.group(1) + " of " + image + " is not a tar in its archive");
			}
			// a layer listed twice (an empty one, say) is stored and pulled once
			if (counted.add(name.group(1))) {
				compressed += layer.compressedBytes();
			}
			layer.applyTo(files);
		}
		long onDisk = engine.inspectImageCmd(image).exec().getSize();
		return new ImageArchive(image, compress ? compressed : -1, onDisk, files);
	}

	/** The files whose name (the last part of the path) is one of these. */
	List<String> filesNamed(Set<String> names) {
		return this.files.stream().filter((path) -> names.contains(path.substring(path.lastIndexOf('/') + 1))).toList();
	}

	long compressedMegabytes() {
		if (this.compressedBytes < 0) {
			throw new IllegalStateException(this.image + " was read without compressing it");
		}
		return this.compressedBytes / 1_000_000;
	}

	long onDiskMegabytes() {
		return this.onDiskBytes / 1_000_000;
	}

	/**
	 * One layer: its paths (whiteouts marking deletions of a lower layer's files) and its
	 * gzip-compressed size.
	 */
	private record Layer(List<String> paths, long compressedBytes) {

		/** The layer in {@code blob}, or null when it is not a tar (a config file). */
		static Layer read(InputStream blob, boolean compress) throws IOException {
			ByteCounter counter = new ByteCounter();
			OutputStream sink = compress ? new GZIPOutputStream(counter, 64 * 1024) : OutputStream.nullOutputStream();
			Tee copied = new Tee(blob, sink);
			BufferedInputStream buffered = new BufferedInputStream(copied);
			buffered.mark(2);
			boolean gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b;
			buffered.reset();
			List<String> paths;
			try {
				paths = list(gzipped ? new GZIPInputStream(buffered) : buffered);
			}
			catch (IOException | IllegalArgumentException ex) {
				paths = null;
			}
			// the rest (tar padding, or what was not a tar) counts too
			buffered.transferTo(OutputStream.nullOutputStream());
			sink.close();
			if (paths == null) {
				return null;
			}
			// an already compressed layer is stored as it is
			return new Layer(paths, gzipped ? copied.count() : counter.count);
		}

		private static List<String> list(InputStream tar) throws IOException {
			List<String> paths = new ArrayList<>();
			TarArchiveInputStream layer = new TarArchiveInputStream(tar);
			TarArchiveEntry entry;
			while ((entry = layer.getNextEntry()) != null) {
				String path = entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
				paths.add("/" + path);
			}
			// the rest of the blob (tar padding) is read by the caller
			return paths;
		}

		void applyTo(Set<String> files) {
			for (String path : this.paths) {
				int slash = path.lastIndexOf('/');
				String directory = path.substring(0, slash + 1);
				String base = path.substring(slash + 1);
				if (base.equals(".wh..wh..opq")) {
					files.removeIf((file) -> file.startsWith(directory));
				}
				else if (base.startsWith(".wh.")) {
					String deleted = directory + base.substring(4);
					files.removeIf((file) -> file.equals(deleted) || file.startsWith(deleted + "/"));
				}
				else {
					files.add(path);
				}
			}
		}

	}

	/** Copies what is read from a stream to another, and counts it. */
	private static final class Tee extends FilterInputStream {

		private final OutputStream copy;

		private long count;

		Tee(InputStream in, OutputStream copy) {
			super(in);
			this.copy = copy;
		}

		long count() {
			return this.count;
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				this.copy.write(b);
				this.count++;
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				this.copy.write(buffer, offset, n);
				this.count += n;
			}
			return n;
		}

		// skipped bytes are read too: they are part of the layer's size
		@Override
		public long skip(long n) throws IOException {
			byte[] buffer = new byte[8192];
			long skipped = 0;
			while (skipped < n) {
				int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
				if (read < 0) {
					break;
				}
				skipped += read;
			}
			return skipped;
		}

		@Override
		public long transferTo(OutputStream out) throws IOException {
			byte[] buffer = new byte[8192];
			long total = 0;
			int read;
			while ((read = read(buffer, 0, buffer.length)) >= 0) {
				out.write(buffer, 0, read);
				total += read;
			}
			return total;
		}

		@Override
		public void close() {
			// the archive's entry stream belongs to the archive
		}

	}

	private static final class ByteCounter extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] buffer, int offset, int length) {
			this.count += length;
		}

	}

}
