package dev.vitrine.content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Takes out of an upload what its pixels do not need and its owner may not know it
 * carries: a phone photo's EXIF holds where it was taken (GPS), when, and the camera's
 * serial number; XMP and text chunks hold more of the same. The public site serves
 * originals as stored, so this runs before they are.
 * <p>
 * Kept, because they change how the image looks: in JPEG the JFIF header, the ICC colour
 * profile, Adobe's colour transform and the EXIF orientation (written again, alone, so a
 * phone's portrait photo stays upright); in PNG every chunk but text, time and EXIF; in
 * WebP every chunk but EXIF and XMP. Data after the image's end (a JPEG's extra pictures:
 * gain maps, depth maps, each with EXIF of its own) is dropped. GIF carries no EXIF and
 * is kept as it is. Pixels are never decoded or re-encoded.
 */
final class ImageMetadata {

	private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

	private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

	private static final int ORIENTATION = 0x0112;

	private ImageMetadata() {
	}

	/**
	 * The image without its metadata.
	 * @param type the type {@link MediaLibrary#sniff} found
	 * @throws InvalidMediaException when the file's structure is broken, so that what it
	 * carries cannot be told from its pixels
	 */
	static byte[] strip(byte[] bytes, String type) {
		try {
			return switch (type) {
				case "image/jpeg" -> jpeg(bytes);
				case "image/png" -> png(bytes);
				case "image/webp" -> webp(bytes);
				default -> bytes;
			};
		}
		catch (IndexOutOfBoundsException | IllegalArgumentException ex) {
			throw new InvalidMediaException("The image's structure is damaged (" + ex.getMessage()
					+ "). Open it in an image editor and save it again.");
		}
	}

	/**
	 * The EXIF orientation of a JPEG (1 to 8), or 1 when it has none: for tests, and for
	 * whoever draws it.
	 */
	static int orientation(byte[] jpeg) {
		int at = 2;
		while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
			int marker = jpeg[at + 1] & 0xFF;
			if (marker == 0xDA || marker == 0xD9) {
				break;
			}
			int end = at + 2 + u16(jpeg, at + 2);
			if (marker == 0xE1 && startsWith(jpeg, at + 4, EXIF)) {
				return exifOrientation(Arrays.copyOfRange(jpeg, at + 4 + EXIF.length, Math.min(end, jpeg.length)));
			}
			at = end;
		}
		return 1;
	}

	private static byte[] jpeg(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 2);
		int at = 2;
		while (at < in.length) {
			check(at + 2 <= in.length, "the JPEG ends inside a marker");
			check((in[at] & 0xFF) == 0xFF, "no JPEG marker at byte " + at);
			int marker = in[at + 1] & 0xFF;
			if (marker == 0xFF) {
				at++; // a fill byte
				continue;
			}
			if (marker == 0xD9) {
				out.write(in, at, 2);
				break; // what follows the image (a phone's extra pictures) is dropped
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				out.write(in, at, 2); // markers without a length
				at += 2;
				continue;
			}
			check(at + 4 <= in.length && u16(in, at + 2) >= 2, "a JPEG segment without a length at byte " + at);
			int end = at + 2 + u16(in, at + 2);
			check(end <= in.length, "a JPEG segment runs past the end of the file");
			if (marker == 0xE1 && startsWith(in, at + 4, EXIF)) {
				int orientation = exifOrientation(Arrays.copyOfRange(in, Math.min(at + 4 + EXIF.length, end), end));
				if (orientation != 1) {
					out.writeBytes(orientationOnly(orientation));
				}
			}
			else if (keep(marker, in, at)) {
				out.write(in, at, end - at);
			}
			at = end;
			if (marker == 0xDA) {
				// a scan's coded data runs to the next marker that is neither a
				// stuffed FF 00 nor a restart; a segment there is judged as any other
				int next = at;
				while (next + 1 < in.length && !((in[next] & 0xFF) == 0xFF && (in[next + 1] & 0xFF) != 0x00
						&& ((in[next + 1] & 0xFF) < 0xD0 || (in[next + 1] & 0xFF) > 0xD7))) {
					next++;
				}
				// no end marker: a truncated image, kept as it is
				next = (next + 1 < in.length) ? next : in.length;
				out.write(in, at, next - at);
				at = next;
			}
		}
		return out.toByteArray();
	}

	/** JFIF, ICC profiles, Adobe's transform, and every marker that is not metadata. */
	private static boolean keep(int marker, byte[] in, int at) {
		if (marker == 0xE2) {
			return startsWith(in, at + 4, ICC);
		}
		boolean application = marker >= 0xE0 && marker <= 0xEF;
		return (application && (marker == 0xE0 || marker == 0xEE)) || (!application && marker != 0xFE);
	}

	/** The orientation in a TIFF structure (EXIF's body), or 1. */
	private static int exifOrientation(byte[] tiff) {
		if (tiff.length < 8) {
			return 1;
		}
		ByteBuffer buffer = ByteBuffer.wrap(tiff);
		if (tiff[0] == 'I' && tiff[1] == 'I') {
			buffer.order(ByteOrder.LITTLE_ENDIAN);
		}
		else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
			return 1;
		}
		long ifd = Integer.toUnsignedLong(buffer.getInt(4));
		if (ifd + 2 > tiff.length) {
			return 1;
		}
		int entries = Short.toUnsignedInt(buffer.getShort((int) ifd));
		for (int i = 0; i < entries; i++) {
			int entry = (int) ifd + 2 + 12 * i;
			if (entry + 12 > tiff.length) {
				return 1;
			}
			if (Short.toUnsignedInt(buffer.getShort(entry)) == ORIENTATION
					&& Short.toUnsignedInt(buffer.getShort(entry + 2)) == 3) {
				int value = Short.toUnsignedInt(buffer.getShort(entry + 8));
				return (value >= 1 && value <= 8) ? value : 1;
			}
		}
		return 1;
	}

	/** An APP1 segment whose EXIF holds the orientation and nothing else. */
	private static byte[] orientationOnly(int orientation) {
		ByteBuffer segment = ByteBuffer.allocate(2 + 2 + EXIF.length + 26); // big-endian
		segment.putShort((short) 0xFFE1).putShort((short) (segment.capacity() - 2)).put(EXIF);
		segment.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // TIFF
																				// header,
																				// IFD0 at
																				// 8
		segment.putShort((short) 1); // one entry: orientation, a SHORT
		segment.putShort((short) ORIENTATION)
			.putShort((short) 3)
			.putInt(1)
			.putShort((short) orientation)
			.putShort((short) 0);
		segment.putInt(0); // no next IFD
		return segment.array();
	}

	private static byte[] png(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 8);
		int at = 8;
		while (true) {
			check(at + 12 <= in.length, "the PNG ends before its IEND chunk");
			long length = Integer.toUnsignedLong(ByteBuffer.wrap(in, at, 4).getInt());
			check(length <= in.length - at - 12, "a PNG chunk runs past the end of the file");
			String chunk = new String(in, at + 4, 4, StandardCharsets.ISO_8859_1);
			int end = at + 12 + (int) length;
			if (!(chunk.equals("tEXt") || chunk.equals("zTXt") || chunk.equals("iTXt") || chunk.equals("eXIf")
					|| chunk.equals("tIME"))) {
				out.write(in, at, end - at);
			}
			if (chunk.equals("IEND")) {
				return out.toByteArray();
			}
			at = end;
		}
	}

	private static byte[] webp(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 12);
		ByteBuffer buffer = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
		long riffEnd = Math.min(8 + Integer.toUnsignedLong(buffer.getInt(4)), in.length);
		int at = 12;
		while (at + 8 <= riffEnd) {
			String chunk = new String(in, at, 4, StandardCharsets.ISO_8859_1);
			long length = Integer.toUnsignedLong(buffer.getInt(at + 4));
			long end = at + 8 + length + (length & 1); // chunks are padded to even sizes
			check(end <= riffEnd + (length & 1), "a WebP chunk runs past the end of the file");
			end = Math.min(end, riffEnd);
			if (chunk.equals("VP8X")) {
				check(length >= 1, "the WebP's VP8X chunk is empty");
				byte[] header = Arrays.copyOfRange(in, at, (int) end);
				header[8] &= (byte) ~0x0C; // the flags: no EXIF (0x08), no XMP (0x04)
				out.writeBytes(header);
			}
			else if (!chunk.equals("EXIF") && !chunk.equals("XMP ")) {
				out.write(in, at, (int) end - at);
			}
			at = (int) end;
		}
		byte[] result = out.toByteArray();
		ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN).putInt(4, result.length - 8);
		return result;
	}

	private static int u16(byte[] bytes, int at) {
		return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
	}

	private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
		return at + prefix.length <= bytes.length
				&& Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
	}

	private static void check(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalArgumentException(problem);
		}
	}

}
