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
		if (ImageFormat.WEBP.is(bytes)) {
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
	 * The memory a JPEG decoder must hold whole, whatever the subsampling: a progressive
	 * JPEG (or one coded in several scans) is decoded from a buffer of every DCT
	 * coefficient of the image, two bytes each, outside the Java heap: for a 40 MP
	 * progressive JPEG, 134 MB more at its peak where a baseline one took 11 MB
	 * ({@code bench/jpeg-decode-memory.sh}, BENCHMARKS.md "Media"). 0 for a JPEG decoded
	 * row by row, and for anything else.
	 */
	static long wholeImageBuffer(byte[] jpeg) {
		if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
			return 0;
		}
		long coefficients = 0;
		boolean progressive = false;
		int scans = 0;
		int at = 2;
		while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
			int marker = jpeg[at + 1] & 0xFF;
			if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				at += (marker == 0xFF) ? 1 : 2;
				continue;
			}
			if (marker == 0xD9) {
				break;
			}
			int end = at + 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
			boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
			if (frame && end <= jpeg.length && at + 10 <= jpeg.length) {
				progressive = (marker & 0x03) == 0x02; // SOF2, SOF6, SOF10, SOF14
				coefficients = coefficients(jpeg, at + 4, end);
			}
			at = end;
			if (marker == 0xDA) {
				scans++;
				at = ImageMetadata.endOfScan(jpeg, at);
			}
		}
		return (progressive || scans > 1) ? coefficients : 0;
	}

	/**
	 * A frame's coefficients in bytes: each component's 8 × 8 blocks, 64 × 2 bytes each.
	 */
	private static long coefficients(byte[] jpeg, int frame, int end) {
		int height = ((jpeg[frame + 1] & 0xFF) << 8) | (jpeg[frame + 2] & 0xFF);
		int width = ((jpeg[frame + 3] & 0xFF) << 8) | (jpeg[frame + 4] & 0xFF);
		int components = jpeg[frame + 5] & 0xFF;
		int maxH = 1;
		int maxV = 1;
		for (int i = 0; i < components && frame + 8 + 3 * i < end; i++) {
			maxH = Math.max(maxH, (jpeg[frame + 7 + 3 * i] & 0xFF) >> 4);
			maxV = Math.max(maxV, jpeg[frame + 7 + 3 * i] & 0x0F);
		}
		long total = 0;
		for (int i = 0; i < components && frame + 8 + 3 * i < end; i++) {
			int h = Math.max(1, (jpeg[frame + 7 + 3 * i] & 0xFF) >> 4);
			int v = Math.max(1, jpeg[frame + 7 + 3 * i] & 0x0F);
			long blocksWide = ((long) width * h / maxH + 7) / 8;
			long blocksHigh = ((long) height * v / maxV + 7) / 8;
			total += blocksWide * blocksHigh * 64 * 2;
		}
		return total;
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
