package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads images without decoding more than needed: the size from the header alone, and
 * pixels subsampled, so a file that claims a huge size (a few hundred kilobytes of PNG
 * can claim 12000 × 12000) costs no more memory than a small one.
 */
final class Images {

	private Images() {
	}

	/**
	 * An image's size in pixels.
	 */
	record Size(int width, int height) {

		long pixels() {
			return (long) this.width * this.height;
		}

	}

	/** {@code 144} or {@code 0.3}: pixels in megapixels, for people. */
	static String megapixels(long pixels) {
		String text = String.format(Locale.ROOT, "%.1f", pixels / 1_000_000.0);
		return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
	}

	/**
	 * The size the image's header states, without decoding it; empty when the header is
	 * damaged. WebP, which Java does not decode, is read here from its own header, so its
	 * size counts against the pixel limit too: visitors' browsers decode it.
	 */
	static Optional<Size> size(byte[] bytes) {
		if (MediaLibrary.sniff(bytes).filter("image/webp"::equals).isPresent()) {
			return webpSize(bytes);
		}
		try {
			return read(bytes, (reader) -> new Size(reader.getWidth(0), reader.getHeight(0)));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A WebP's size from its first chunk: the canvas of an extended file (VP8X), or the
	 * frame of a simple lossy (VP8) or lossless (VP8L) one.
	 */
	private static Optional<Size> webpSize(byte[] bytes) {
		if (bytes.length < 30) {
			return Optional.empty();
		}
		ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		String chunk = new String(bytes, 12, 4, StandardCharsets.ISO_8859_1);
		return switch (chunk) {
			case "VP8X" -> Optional.of(new Size(1 + u24(bytes, 24), 1 + u24(bytes, 27)));
			case "VP8 " -> ((bytes[23] & 0xFF) == 0x9D && (bytes[24] & 0xFF) == 0x01 && (bytes[25] & 0xFF) == 0x2A)
					? Optional.of(new Size(header.getShort(26) & 0x3FFF, header.getShort(28) & 0x3FFF))
					: Optional.empty();
			case "VP8L" -> {
				int bits = header.getInt(21);
				yield ((bytes[20] & 0xFF) == 0x2F)
						? Optional.of(new Size(1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF))) : Optional.empty();
			}
			default -> Optional.empty();
		};
	}

	private static int u24(byte[] bytes, int at) {
		return (bytes[at] & 0xFF) | ((bytes[at + 1] & 0xFF) << 8) | ((bytes[at + 2] & 0xFF) << 16);
	}

	/**
	 * The image decoded keeping every {@code step}-th pixel of every {@code step}-th row:
	 * {@code step}² times less memory than the whole.
	 * @return empty when no decoder knows the format
	 */
	static Optional<BufferedImage> decode(byte[] bytes, int step) throws IOException {
		return read(bytes, (reader) -> {
			ImageReadParam param = reader.getDefaultReadParam();
			param.setSourceSubsampling(step, step, 0, 0);
			return reader.read(0, param);
		});
	}

	private static <T> Optional<T> read(byte[] bytes, ReaderFunction<T> function) throws IOException {
		// in memory: ImageIO's default stream may spool to a temporary file
		try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
			Iterator<ImageReader> readers = javax.imageio.ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				return Optional.empty();
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				return Optional.of(function.apply(reader));
			}
			finally {
				reader.dispose();
			}
		}
	}

	@FunctionalInterface
	private interface ReaderFunction<T> {

		T apply(ImageReader reader) throws IOException;

	}

}
