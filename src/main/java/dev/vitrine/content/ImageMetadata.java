package dev.vitrine.content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Takes out of an upload what its pixels do not need and its owner may not know it
 * carries: a phone photo's EXIF holds where it was taken (GPS), when, and the camera's
 * serial number; XMP, comments, text chunks and editors' private chunks hold more of the
 * same, an embedded thumbnail may show the picture before it was cropped. The public site
 * serves originals as stored, so this runs before they are.
 * <p>
 * What is kept is listed, not what is dropped, so a kind of metadata nobody thought of
 * goes too: in JPEG the markers that code the image, the JFIF header (without its
 * thumbnail), ICC colour profiles, Adobe's colour transform and the first EXIF's
 * orientation, written again alone, so a phone's portrait photo stays upright; in PNG the
 * chunks that say how the pixels look, and the first EXIF's orientation alone; in WebP
 * the image, animation, alpha and ICC chunks; in GIF the images with their control
 * blocks, and the looping and ICC extensions. What follows the image's end (a JPEG's
 * extra pictures: gain maps, depth maps, each with EXIF of its own) is dropped. Pixels
 * are never decoded or re-encoded.
 */
final class ImageMetadata {

	/** EXIF's name in a JPEG's APP1; the byte after it is padding, whatever its value. */
	private static final byte[] EXIF = ascii("Exif\0");

	private static final int EXIF_HEADER = EXIF.length + 1;

	private static final byte[] ICC = ascii("ICC_PROFILE\0");

	private static final byte[] JFIF = ascii("JFIF\0");

	private static final byte[] ADOBE = ascii("Adobe");

	private static final int ORIENTATION = 0x0112;

	/** How a PNG's pixels look (final and draft names of the HDR chunks). */
	private static final Set<String> PNG_KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP",
			"sBIT", "sRGB", "cICP", "mDCV", "cLLI", "mDCv", "cLLi", "bKGD", "pHYs", "acTL", "fcTL", "fdAT");

	private static final Set<String> WEBP_KEPT = Set.of("VP8 ", "VP8L", "ALPH", "ANIM", "ICCP");

	/** An animation frame's own chunks, after its 16-byte header. */
	private static final Set<String> WEBP_FRAME_KEPT = Set.of("VP8 ", "VP8L", "ALPH");

	private ImageMetadata() {
	}

	/**
	 * The image without its metadata.
	 * @param format the format {@link ImageFormat#sniff} found
	 * @throws InvalidMediaException when the file's structure is broken, so that what it
	 * carries cannot be told from its pixels
	 */
	static byte[] strip(byte[] bytes, ImageFormat format) {
		try {
			return switch (format) {
				case JPEG -> jpeg(bytes);
				case PNG -> png(bytes);
				case WEBP -> webp(bytes);
				case GIF -> gif(bytes);
			};
		}
		catch (IndexOutOfBoundsException | IllegalArgumentException ex) {
			throw new InvalidMediaException("The image's structure is damaged (" + ex.getMessage()
					+ "). Open it in an image editor and save it again.");
		}
	}

	/**
	 * The orientation (1 to 8) of a JPEG's or a PNG's first EXIF before its image data,
	 * as browsers show it; 1 when it has none, and for anything else.
	 */
	static int orientation(byte[] image) {
		if (ImageFormat.PNG.is(image)) {
			return pngOrientation(image);
		}
		if (image.length < 4 || (image[0] & 0xFF) != 0xFF || (image[1] & 0xFF) != 0xD8) {
			return 1;
		}
		int at = 2;
		while (at + 4 <= image.length && (image[at] & 0xFF) == 0xFF) {
			int marker = image[at + 1] & 0xFF;
			if (marker == 0xDA || marker == 0xD9 || marker == 0xD8) {
				break;
			}
			int end = Math.min(at + 2 + u16(image, at + 2), image.length);
			if (marker == 0xE1 && startsWith(image, at + 4, EXIF)) {
				return tiffOrientation(Arrays.copyOfRange(image, Math.min(at + 4 + EXIF_HEADER, end), end));
			}
			at = Math.max(end, at + 2);
		}
		return 1;
	}

	private static int pngOrientation(byte[] png) {
		int at = 8;
		while (at + 12 <= png.length) {
			long length = Integer.toUnsignedLong(ByteBuffer.wrap(png, at, 4).getInt());
			String chunk = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
			if (length > png.length - at - 12 || chunk.equals("IDAT")) {
				return 1;
			}
			if (chunk.equals("eXIf")) {
				return tiffOrientation(Arrays.copyOfRange(png, at + 8, at + 8 + (int) length));
			}
			at += 12 + (int) length;
		}
		return 1;
	}

	private static byte[] jpeg(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 2);
		boolean exifSeen = false;
		int at = 2;
		while (at < in.length) {
			if ((in[at] & 0xFF) != 0xFF) {
				at++; // stray bytes between segments: decoders skip them
				continue;
			}
			check(at + 2 <= in.length, "the JPEG ends inside a marker");
			int marker = in[at + 1] & 0xFF;
			if (marker == 0xFF) {
				at++; // a fill byte
				continue;
			}
			if (marker == 0x00) {
				at += 2; // a stuffed byte outside a scan: stray too
				continue;
			}
			if (marker == 0xD9 || marker == 0xD8) {
				// the end, or a second picture appended without one: no more of this
				// image
				out.write(0xFF);
				out.write(0xD9);
				break;
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
				// only the first counts, as for browsers
				int body = Math.min(at + 4 + EXIF_HEADER, end);
				int orientation = exifSeen ? 1 : tiffOrientation(Arrays.copyOfRange(in, body, end));
				exifSeen = true;
				if (orientation != 1) {
					out.writeBytes(segment(0xE1, concat(ascii("Exif\0\0"), orientationTiff(orientation))));
				}
			}
			else if (marker == 0xE0 && startsWith(in, at + 4, JFIF) && end - at >= 18) {
				// the JFIF header, without the thumbnail it may carry
				byte[] header = Arrays.copyOfRange(in, at + 4, at + 18);
				header[12] = 0;
				header[13] = 0;
				out.writeBytes(segment(0xE0, header));
			}
			else if (marker == 0xEE && startsWith(in, at + 4, ADOBE) && end - at >= 16) {
				// Adobe's colour transform: its twelve bytes, nothing after them
				out.writeBytes(segment(0xEE, Arrays.copyOfRange(in, at + 4, at + 16)));
			}
			else if (keep(marker, in, at)) {
				out.write(in, at, end - at);
			}
			at = end;
			if (marker == 0xDA) {
				// a segment after the scan's data is judged as any other
				int next = endOfScan(in, at);
				out.write(in, at, next - at);
				at = next;
			}
		}
		return out.toByteArray();
	}

	/**
	 * Where a JPEG scan's coded data, from {@code at}, ends: at the next marker that is
	 * neither a stuffed {@code FF 00} nor a restart, or at the file's end (a truncated
	 * image).
	 */
	static int endOfScan(byte[] jpeg, int at) {
		for (int i = at; i + 1 < jpeg.length; i++) {
			int next = jpeg[i + 1] & 0xFF;
			if ((jpeg[i] & 0xFF) == 0xFF && next != 0x00 && (next < 0xD0 || next > 0xD7)) {
				return i;
			}
		}
		return jpeg.length;
	}

	/**
	 * ICC profiles and the markers that code the image: frames, tables, scans, restart
	 * intervals, hierarchical progression. Applications' segments, comments and reserved
	 * markers, which no decoder needs, go.
	 */
	private static boolean keep(int marker, byte[] in, int at) {
		return switch (marker) {
			case 0xE2 -> startsWith(in, at + 4, ICC);
			case 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF -> true;
			default -> marker >= 0xC0 && marker <= 0xCF;
		};
	}

	/** The orientation in a TIFF structure (EXIF's body), or 1. */
	private static int tiffOrientation(byte[] tiff) {
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

	/** A TIFF structure (EXIF's body) holding the orientation and nothing else. */
	private static byte[] orientationTiff(int orientation) {
		ByteBuffer tiff = ByteBuffer.allocate(26); // big-endian: "MM"
		tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
		tiff.putShort((short) 1); // one entry, a SHORT
		tiff.putShort((short) ORIENTATION).putShort((short) 3).putInt(1);
		tiff.putShort((short) orientation).putShort((short) 0);
		tiff.putInt(0); // no next directory
		return tiff.array();
	}

	private static byte[] segment(int marker, byte[] body) {
		ByteBuffer segment = ByteBuffer.allocate(4 + body.length);
		segment.put((byte) 0xFF).put((byte) marker).putShort((short) (body.length + 2)).put(body);
		return segment.array();
	}

	private static byte[] png(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 8);
		boolean exifSeen = false;
		boolean imageData = false;
		int at = 8;
		while (at + 12 <= in.length) {
			long length = Integer.toUnsignedLong(ByteBuffer.wrap(in, at, 4).getInt());
			check(length <= in.length - at - 12, "a PNG chunk runs past the end of the file");
			String chunk = new String(in, at + 4, 4, StandardCharsets.ISO_8859_1);
			int end = at + 12 + (int) length;
			if (PNG_KEPT.contains(chunk)) {
				out.write(in, at, end - at);
			}
			else if (chunk.equals("eXIf") && !exifSeen && !imageData) {
				// browsers turn a PNG by its first, before the image data: kept, alone
				int orientation = tiffOrientation(Arrays.copyOfRange(in, at + 8, end - 4));
				if (orientation != 1) {
					out.writeBytes(pngChunk("eXIf", orientationTiff(orientation)));
				}
			}
			exifSeen |= chunk.equals("eXIf");
			imageData |= chunk.equals("IDAT");
			at = end;
			if (chunk.equals("IEND")) {
				break;
			}
		}
		check(at > 8, "no PNG chunk");
		return out.toByteArray();
	}

	private static byte[] pngChunk(String type, byte[] data) {
		CRC32 crc = new CRC32();
		crc.update(ascii(type));
		crc.update(data);
		ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
		chunk.putInt(data.length).put(ascii(type)).put(data).putInt((int) crc.getValue());
		return chunk.array();
	}

	private static byte[] webp(byte[] in) {
		check(in.length >= 12, "the WebP ends inside its header");
		ByteBuffer buffer = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
		int riffEnd = (int) Math.min(8 + Integer.toUnsignedLong(buffer.getInt(4)), in.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		out.write(in, 0, 12);
		int at = 12;
		while (at + 8 <= riffEnd) {
			String chunk = new String(in, at, 4, StandardCharsets.ISO_8859_1);
			long length = Integer.toUnsignedLong(buffer.getInt(at + 4));
			check(at + 8 + length <= riffEnd, "a WebP chunk runs past the end of the file");
			// chunks are padded to even sizes
			int end = (int) Math.min(at + 8 + length + (length & 1), riffEnd);
			if (chunk.equals("VP8X")) {
				check(length >= 10, "the WebP's VP8X chunk is too short");
				// its ten bytes, flagging no EXIF (0x08) and no XMP (0x04)
				byte[] header = Arrays.copyOfRange(in, at, at + 18);
				ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 10);
				header[8] &= (byte) ~0x0C;
				out.writeBytes(header);
			}
			else if (chunk.equals("ANMF")) {
				check(length >= 16, "a WebP frame without its header");
				// the frame's image chunks, one level down: a frame holds no frames
				ByteArrayOutputStream frame = new ByteArrayOutputStream();
				webpFrameChunks(in, at + 24, (int) (at + 8 + length), frame);
				ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
				header.put(in, at, 4).putInt(16 + frame.size()).put(in, at + 8, 16);
				out.writeBytes(header.array());
				out.write(frame.toByteArray(), 0, frame.size());
			}
			else if (WEBP_KEPT.contains(chunk)) {
				out.write(in, at, end - at);
			}
			at = end;
		}
		byte[] result = out.toByteArray();
		ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN).putInt(4, result.length - 8);
		return result;
	}

	/** A frame's image chunks in {@code [from, to)}, each padded to an even size. */
	private static void webpFrameChunks(byte[] in, int from, int to, ByteArrayOutputStream out) {
		ByteBuffer buffer = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
		int at = from;
		while (at + 8 <= to) {
			String chunk = new String(in, at, 4, StandardCharsets.ISO_8859_1);
			long length = Integer.toUnsignedLong(buffer.getInt(at + 4));
			check(at + 8 + length <= to, "a WebP frame's chunk runs past the frame");
			if (WEBP_FRAME_KEPT.contains(chunk)) {
				out.write(in, at, 8 + (int) length);
				if ((length & 1) == 1) {
					out.write(0);
				}
			}
			at = (int) Math.min(at + 8 + length + (length & 1), to);
		}
	}

	/**
	 * A GIF of its images, each with the control block before it (decoders apply one to
	 * the next image, past plain text), the looping extension and an ICC profile;
	 * comments, XMP (an application extension), plain text (which browsers never draw)
	 * and whatever follows the end go.
	 */
	private static byte[] gif(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		check(in.length >= 13, "the GIF ends inside its header");
		int at = 13 + colourTable(in[10]);
		check(at <= in.length, "the GIF ends inside its colour table");
		out.write(in, 0, at);
		byte[] control = null; // a graphic control block, until what it controls comes
		while (at < in.length) {
			int block = in[at] & 0xFF;
			int start = at;
			if (block == 0x2C) {
				check(at + 10 <= in.length, "the GIF ends inside an image descriptor");
				// the descriptor, its colours, the LZW code size, then the data
				at = afterSubBlocks(in, at + 10 + colourTable(in[at + 9]) + 1);
				if (control != null) {
					out.writeBytes(control);
					control = null;
				}
				out.write(in, start, at - start);
			}
			else if (block == 0x21) {
				check(at + 2 <= in.length, "the GIF ends inside an extension");
				int label = in[at + 1] & 0xFF;
				at = afterSubBlocks(in, at + 2);
				if (label == 0xF9) {
					control = firstSubBlocks(in, start, 1);
				}
				else if (label == 0xFF && application(in, start + 2, "ICCRGBG1012")) {
					out.write(in, start, at - start);
				}
				else if (label == 0xFF
						&& (application(in, start + 2, "NETSCAPE2.0") || application(in, start + 2, "ANIMEXTS1.0"))) {
					out.writeBytes(firstSubBlocks(in, start, 2)); // its name, the loop
																	// count
				}
			}
			else {
				break; // the trailer, or what decoders take for the end
			}
		}
		out.write(0x3B);
		return out.toByteArray();
	}

	private static int colourTable(byte flags) {
		return ((flags & 0x80) != 0) ? 3 * (1 << ((flags & 0x07) + 1)) : 0;
	}

	private static boolean application(byte[] in, int at, String name) {
		return at + 12 <= in.length && (in[at] & 0xFF) == 11
				&& new String(in, at + 1, 11, StandardCharsets.ISO_8859_1).equals(name);
	}

	/**
	 * An extension from {@code start}: its introducer, label and first sub-blocks, ended.
	 */
	private static byte[] firstSubBlocks(byte[] in, int start, int count) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(in, start, 2);
		int at = start + 2;
		for (int i = 0; i < count && (in[at] & 0xFF) != 0; i++) {
			int length = in[at] & 0xFF;
			out.write(in, at, 1 + length);
			at += 1 + length;
		}
		out.write(0);
		return out.toByteArray();
	}

	/**
	 * Just past the sub-blocks from {@code at}: each a length byte, that many bytes; 0
	 * ends.
	 */
	private static int afterSubBlocks(byte[] in, int at) {
		while (true) {
			check(at < in.length, "the GIF ends inside a block");
			int length = in[at] & 0xFF;
			at += 1 + length;
			if (length == 0) {
				check(at <= in.length, "the GIF ends inside a block");
				return at;
			}
		}
	}

	private static int u16(byte[] bytes, int at) {
		return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
	}

	private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
		return at + prefix.length <= bytes.length
				&& Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static void check(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalArgumentException(problem);
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
