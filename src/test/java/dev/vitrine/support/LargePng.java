package dev.vitrine.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Valid PNGs of any size, made in a moment and small on the wire: a transparent RGBA
 * image whose rows are deflated once and repeated (a full flush after the row makes its
 * compressed bytes independent of what came before). A 12000 × 12000 one is about a
 * megabyte and decodes to 576 MB: a decompression bomb, made in the test rather than
 * committed.
 */
public final class LargePng {

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A };

	private LargePng() {
	}

	/**
	 * An opaque PNG of random pixels, which no compression shrinks: about 3 bytes a
	 * pixel, the same bytes for the same seed.
	 */
	public static byte[] noise(int width, int height, long seed) {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.util.Random random = new java.util.Random(seed);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, random.nextInt());
			}
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			javax.imageio.ImageIO.write(image, "png", png);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return png.toByteArray();
	}

	public static byte[] of(int width, int height) {
		// filter type 0, then 4 zero bytes (transparent black) per pixel
		byte[] row = new byte[1 + width * 4];
		byte[] compressedRow = deflateWithFullFlush(row);
		ByteArrayOutputStream idat = new ByteArrayOutputStream();
		idat.write(0x78);
		idat.write(0x9C);
		Adler32 adler = new Adler32();
		for (int y = 0; y < height; y++) {
			idat.writeBytes(compressedRow);
			adler.update(row);
		}
		// the last block: empty, stored, final
		idat.writeBytes(new byte[] { 0x01, 0x00, 0x00, (byte) 0xFF, (byte) 0xFF });
		idat.writeBytes(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array());

		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(SIGNATURE);
		chunk(png, "IHDR", ByteBuffer.allocate(13)
			.putInt(width)
			.putInt(height)
			.put((byte) 8) // bits per sample
			.put((byte) 6) // RGBA
			.put((byte) 0)
			.put((byte) 0)
			.put((byte) 0)
			.array());
		chunk(png, "IDAT", idat.toByteArray());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	private static byte[] deflateWithFullFlush(byte[] data) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			deflater.setInput(data);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[64 * 1024];
			int n;
			do {
				n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
				out.write(buffer, 0, n);
			}
			while (n == buffer.length || !deflater.needsInput());
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		png.writeBytes(typeBytes);
		png.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
