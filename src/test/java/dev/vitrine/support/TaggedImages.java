package dev.vitrine.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images carrying what a phone or an editor puts in them: EXIF with a GPS position, a
 * camera serial and an orientation, XMP, IPTC, comments, text chunks and, after a JPEG's
 * end, an extra picture with EXIF of its own. Every secret is a string starting with
 * {@link #SECRET}, so a test can look for it in bytes.
 */
public final class TaggedImages {

	public static final String SECRET = "SECRET-";

	private TaggedImages() {
	}

	/** A progressive JPEG of {@code width} × {@code height}, as ImageIO writes it. */
	public static byte[] plainJpeg(int width, int height) {
		try {
			ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
				writer.setOutput(stream);
				writer.write(null, new IIOImage(picture(width, height, BufferedImage.TYPE_INT_RGB), null, null), param);
			}
			writer.dispose();
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@link #plainJpeg} with EXIF (GPS, camera serial, {@code orientation}) in II byte
	 * order, XMP, IPTC, an sRGB ICC profile and a comment after its JFIF header, a
	 * comment between its last scan and its end, and an extra picture after its end.
	 */
	public static byte[] phoneJpeg(byte[] plain, int orientation) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int afterJfif = 2 + 2 + (((plain[4] & 0xFF) << 8) | (plain[5] & 0xFF));
		// the JFIF header again, with a 4 x 3 thumbnail: the picture before a crop
		out.write(plain, 0, 2);
		byte[] thumbnail = Arrays.copyOf(ascii(SECRET + "jfif-thumbnail"), 36);
		out.writeBytes(
				segment(0xE0, concat(concat(ascii("JFIF\0"), new byte[] { 1, 1, 0, 0, 1, 0, 1, 4, 3 }), thumbnail)));
		out.writeBytes(segment(0xE1, concat(ascii("Exif\0\0"), exif(orientation))));
		out.writeBytes(segment(0xE1, ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>" + SECRET
				+ "xmp-52.37N</exif:GPSLatitude></x:xmpmeta>")));
		out.writeBytes(segment(0xED, ascii("Photoshop 3.0\08BIM" + SECRET + "iptc-byline")));
		out.writeBytes(segment(0xE2,
				concat(ascii("ICC_PROFILE\0\1\1"), ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())));
		out.writeBytes(segment(0xFE, ascii(SECRET + "comment")));
		// a second EXIF, which browsers do not read: its orientation must not win
		out.writeBytes(segment(0xE1, concat(ascii("Exif\0\0"), exif(3))));
		out.writeBytes(segment(0xE0, ascii("JFXX\0\u0013" + SECRET + "thumbnail-before-the-crop")));
		out.writeBytes(segment(0xEE, ascii("Ducky" + SECRET + "not-adobe")));
		// Adobe's twelve bytes (YCbCr, as the picture is), then more
		out.writeBytes(segment(0xEE,
				concat(concat(ascii("Adobe"), new byte[] { 0, 100, 0, 0, 0, 0, 1 }), ascii(SECRET + "after-adobe"))));
		int end = plain.length - 2;
		out.write(plain, afterJfif, end - afterJfif);
		out.writeBytes(segment(0xFE, ascii(SECRET + "comment-after-the-scans")));
		out.write(plain, end, 2);
		// a phone's extra picture (gain map, depth map), EXIF and all
		out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD8 });
		out.writeBytes(segment(0xE1, concat(ascii("Exif\0\0"), exif(1))));
		out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD9 });
		return out.toByteArray();
	}

	/** A PNG with text, time, EXIF ({@code orientation}) and editors' chunks. */
	public static byte[] taggedPng(int width, int height, int orientation) {
		try {
			ByteArrayOutputStream plain = new ByteArrayOutputStream();
			ImageIO.write(picture(width, height, BufferedImage.TYPE_INT_ARGB), "png", plain);
			byte[] png = plain.toByteArray();
			int afterHeader = 8 + 12 + 13;
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.write(png, 0, afterHeader);
			out.writeBytes(chunk("tEXt", ascii("Author\0" + SECRET + "text")));
			out.writeBytes(chunk("iTXt", ascii("XML:com.adobe.xmp\0\0\0\0\0" + SECRET + "itxt")));
			out.writeBytes(chunk("tIME", new byte[] { 0x07, (byte) 0xEA, 11, 30, 12, 0, 0 }));
			out.writeBytes(chunk("eXIf", exif(orientation)));
			out.writeBytes(chunk("mkBF", ascii(SECRET + "editor-document")));
			out.writeBytes(chunk("caBX", ascii(SECRET + "provenance")));
			out.write(png, afterHeader, png.length - afterHeader);
			out.writeBytes(ascii(SECRET + "after-the-end"));
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A WebP container (VP8X flagging EXIF and XMP, an opaque VP8L chunk of odd length,
	 * EXIF and XMP chunks); the image data is not a valid picture, as nothing here
	 * decodes WebP.
	 */
	public static byte[] taggedWebp() {
		ByteArrayOutputStream chunks = new ByteArrayOutputStream();
		// ten bytes of flags and canvas, then more
		chunks.writeBytes(riffChunk("VP8X",
				concat(new byte[] { 0x0C, 0, 0, 0, 9, 0, 0, 4, 0, 0 }, ascii(SECRET + "after-vp8x"))));
		chunks.writeBytes(riffChunk("VP8L", new byte[] { 0x2F, 9, 0x40, 0, 0x17 }));
		chunks.writeBytes(riffChunk("C2PA", ascii(SECRET + "provenance")));
		// an animation frame: its header, its image, and a chunk of no known kind
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.writeBytes(new byte[16]);
		frame.writeBytes(riffChunk("ALPH", new byte[] { 0, 1, 2 })); // odd: padded
		frame.writeBytes(riffChunk("VP8L", new byte[] { 0x2F, 9, 0x40, 0, 0x17, 0 }));
		frame.writeBytes(riffChunk("XYZW", ascii(SECRET + "in-a-frame")));
		chunks.writeBytes(riffChunk("ANMF", frame.toByteArray()));
		chunks.writeBytes(riffChunk("EXIF", exif(1)));
		chunks.writeBytes(riffChunk("XMP ", ascii("<x:xmpmeta>" + SECRET + "webp-xmp</x:xmpmeta>")));
		ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
		header.put(ascii("RIFF")).putInt(4 + chunks.size()).put(ascii("WEBP"));
		return concat(header.array(), chunks.toByteArray());
	}

	/**
	 * The start of a WebP whose first chunk states {@code width} × {@code height}: an
	 * extended file's canvas ({@code VP8X}), a lossy frame ({@code VP8 }) or a lossless
	 * one ({@code VP8L}); what follows is not a picture.
	 */
	public static byte[] webpClaiming(String chunk, int width, int height) {
		ByteBuffer data = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
		switch (chunk) {
			case "VP8X" -> data.putInt(0)
				.put((byte) (width - 1))
				.putShort((short) ((width - 1) >>> 8))
				.put((byte) (height - 1))
				.putShort((short) ((height - 1) >>> 8));
			case "VP8 " -> data.put(new byte[] { 0, 0, 0, (byte) 0x9D, 0x01, 0x2A })
				.putShort((short) width)
				.putShort((short) height);
			case "VP8L" -> data.put((byte) 0x2F).putInt((width - 1) | ((height - 1) << 14));
			default -> throw new IllegalArgumentException(chunk);
		}
		byte[] first = riffChunk(chunk, data.array());
		ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
		header.put(ascii("RIFF")).putInt(4 + first.length).put(ascii("WEBP"));
		return concat(header.array(), first);
	}

	/**
	 * The frame of a progressive JPEG of {@code width} × {@code height} in 4:2:0, and one
	 * empty scan: what a decoder reads before it allocates; not a picture.
	 */
	public static byte[] progressiveJpegClaiming(int width, int height) {
		ByteBuffer jpeg = ByteBuffer.allocate(2 + 19 + 14 + 2 + 2);
		jpeg.putShort((short) 0xFFD8);
		jpeg.putShort((short) 0xFFC2)
			.putShort((short) 17)
			.put((byte) 8)
			.putShort((short) height)
			.putShort((short) width);
		jpeg.put((byte) 3).put(new byte[] { 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0 });
		jpeg.putShort((short) 0xFFDA).putShort((short) 12).put((byte) 3).put(new byte[] { 1, 0, 2, 0, 3, 0, 0, 0, 0 });
		jpeg.put(new byte[] { 0, 0 }).putShort((short) 0xFFD9);
		return jpeg.array();
	}

	/**
	 * A GIF with a comment, an XMP application extension, the looping extension and data
	 * after its trailer.
	 */
	public static byte[] taggedGif() {
		try {
			ByteArrayOutputStream plain = new ByteArrayOutputStream();
			ImageIO.write(picture(12, 8, BufferedImage.TYPE_BYTE_INDEXED), "gif", plain);
			byte[] gif = plain.toByteArray();
			int flags = gif[10] & 0xFF;
			int afterHeader = 13 + (((flags & 0x80) != 0) ? 3 * (1 << ((flags & 0x07) + 1)) : 0);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.write(gif, 0, afterHeader);
			out.writeBytes(extension(0xFE, ascii(SECRET + "gif-comment")));
			// a control block, then plain text it does not keep from the image after it
			out.writeBytes(extension(0xF9, new byte[] { 0x04, 10, 0, 0 }));
			out.writeBytes(extension(0x01, new byte[12], ascii(SECRET + "plain-text")));
			out.writeBytes(extension(0xFF, ascii("XMP DataXMP"), ascii(SECRET + "gif-xmp")));
			out.writeBytes(extension(0xFF, ascii("NETSCAPE2.0"), new byte[] { 1, 0, 0 }));
			out.write(gif, afterHeader, gif.length - afterHeader);
			out.writeBytes(ascii(SECRET + "after-the-trailer"));
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An extension block: its label, then each of {@code blocks} as a sub-block. */
	private static byte[] extension(int label, byte[]... blocks) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { 0x21, (byte) label });
		for (byte[] block : blocks) {
			out.write(block.length);
			out.writeBytes(block);
		}
		out.write(0);
		return out.toByteArray();
	}

	/**
	 * A WebP whose animation frame holds a frame, which holds a frame, {@code depth}
	 * deep: no valid file does, a hostile one may.
	 */
	public static byte[] nestedFramesWebp(int depth) {
		byte[] inner = riffChunk("VP8L", new byte[] { 0x2F, 9, 0x40, 0, 0x17, 0 });
		for (int i = 0; i < depth; i++) {
			inner = riffChunk("ANMF", concat(new byte[16], inner));
		}
		ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
		header.put(ascii("RIFF")).putInt(4 + inner.length).put(ascii("WEBP"));
		return concat(header.array(), inner);
	}

	/** Whether any secret is left in the bytes. */
	public static boolean tellsSecrets(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1).contains(SECRET);
	}

	/**
	 * Left half red, right half blue, a green stripe on top: every turn looks different.
	 */
	private static BufferedImage picture(int width, int height, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.RED);
		graphics.fillRect(0, 0, width / 2, height);
		graphics.setColor(Color.BLUE);
		graphics.fillRect(width / 2, 0, width - width / 2, height);
		graphics.setColor(Color.GREEN);
		graphics.fillRect(0, 0, width, Math.max(1, height / 4));
		graphics.dispose();
		return image;
	}

	/** EXIF's TIFF body, little-endian: camera make, orientation, and a GPS directory. */
	private static byte[] exif(int orientation) {
		byte[] make = ascii(SECRET + "camera-serial-0042\0");
		byte[] latitude = ascii(SECRET + "gps-52.37N\0");
		int ifd0 = 8;
		int ifd0Size = 2 + 3 * 12 + 4;
		int makeAt = ifd0 + ifd0Size;
		int gps = makeAt + make.length;
		int gpsSize = 2 + 12 + 4;
		int latitudeAt = gps + gpsSize;
		ByteBuffer tiff = ByteBuffer.allocate(latitudeAt + latitude.length).order(ByteOrder.LITTLE_ENDIAN);
		tiff.put(ascii("II")).putShort((short) 42).putInt(ifd0);
		tiff.putShort((short) 3);
		tiff.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(makeAt);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gps);
		tiff.putInt(0);
		tiff.put(make);
		tiff.putShort((short) 1);
		tiff.putShort((short) 0x001B).putShort((short) 7).putInt(latitude.length).putInt(latitudeAt);
		tiff.putInt(0);
		tiff.put(latitude);
		return tiff.array();
	}

	private static byte[] segment(int marker, byte[] payload) {
		ByteBuffer segment = ByteBuffer.allocate(4 + payload.length);
		segment.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
		return segment.array();
	}

	private static byte[] chunk(String type, byte[] data) {
		CRC32 crc = new CRC32();
		crc.update(ascii(type));
		crc.update(data);
		ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
		chunk.putInt(data.length).put(ascii(type)).put(data).putInt((int) crc.getValue());
		return chunk.array();
	}

	private static byte[] riffChunk(String type, byte[] data) {
		ByteBuffer chunk = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
		chunk.put(ascii(type)).putInt(data.length).put(data);
		return chunk.array();
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
