package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
	 * The size the image's header states, without decoding it; empty when no decoder
	 * knows the format (WebP) or the header is damaged.
	 */
	static Optional<Size> size(byte[] bytes) {
		try {
			return read(bytes, (reader) -> new Size(reader.getWidth(0), reader.getHeight(0)));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
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
