package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.imageio.ImageIO;

import dev.vitrine.support.TaggedImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What an upload tells about its owner is taken out before it is stored, without touching
 * its pixels or how it is shown.
 */
class ImageMetadataTests {

	@Test
	void aPhonePhotoLosesItsPositionCameraAndTextButKeepsItsPixelsColoursAndOrientation() throws IOException {
		byte[] plain = TaggedImages.plainJpeg(40, 20);
		byte[] photo = TaggedImages.phoneJpeg(plain, 6);
		assertThat(TaggedImages.tellsSecrets(photo)).isTrue();

		byte[] stripped = ImageMetadata.strip(photo, ImageFormat.JPEG);

		assertThat(TaggedImages.tellsSecrets(stripped)).as("secrets left").isFalse();
		assertThat(ascii(stripped)).contains("ICC_PROFILE").contains("JFIF").doesNotContain("Ducky");
		// the first EXIF's, as browsers read it: the second one's 3 does not win
		assertThat(ImageMetadata.orientation(photo)).isEqualTo(6);
		assertThat(ImageMetadata.orientation(stripped)).isEqualTo(6);
		assertThat(pixels(stripped)).isEqualTo(pixels(plain));
		// the extra picture after the end is gone: the file ends with the image
		assertThat(Arrays.copyOfRange(stripped, stripped.length - 2, stripped.length)).containsExactly(0xFF, 0xD9);
	}

	@Test
	void aJpegShownAsStoredKeepsNoExifAtAll() {
		byte[] stripped = ImageMetadata.strip(TaggedImages.phoneJpeg(TaggedImages.plainJpeg(8, 8), 1),
				ImageFormat.JPEG);

		assertThat(ascii(stripped)).doesNotContain("Exif");
		assertThat(ImageMetadata.orientation(stripped)).isEqualTo(1);
	}

	@Test
	void aPngKeepsOnlyTheChunksThatSayHowItLooksAndItsOrientationAlone() throws IOException {
		byte[] png = TaggedImages.taggedPng(12, 10, 6);
		byte[] upright = TaggedImages.taggedPng(12, 10, 1);

		byte[] stripped = ImageMetadata.strip(png, ImageFormat.PNG);

		assertThat(TaggedImages.tellsSecrets(stripped)).isFalse();
		assertThat(ascii(stripped)).doesNotContain("tIME")
			.doesNotContain("mkBF")
			.contains("IEND")
			.endsWith("IEND\u00aeB`\u0082");
		assertThat(pixels(stripped)).isEqualTo(pixels(png));
		// Safari turns a PNG by its eXIf: the orientation stays, alone
		assertThat(ascii(stripped)).contains("eXIfMM");
		assertThat(ascii(ImageMetadata.strip(upright, ImageFormat.PNG))).doesNotContain("eXIf");
	}

	@Test
	void aGifLosesItsCommentsXmpAndWhatFollowsItsEndAndKeepsLoopingAndPixels() throws IOException {
		byte[] gif = TaggedImages.taggedGif();

		byte[] stripped = ImageMetadata.strip(gif, ImageFormat.GIF);

		assertThat(TaggedImages.tellsSecrets(gif)).isTrue();
		assertThat(TaggedImages.tellsSecrets(stripped)).isFalse();
		assertThat(ascii(stripped)).contains("NETSCAPE2.0").doesNotContain("XMP DataXMP").endsWith(";");
		// the control block stays for the image after the plain text, which goes
		assertThat(ascii(stripped)).contains("\u0021\u00f9\u0004\u0004\n").doesNotContain("\u0021\u0001");
		assertThat(pixels(stripped)).isEqualTo(pixels(gif));
	}

	@Test
	void framesNestedInFramesAreNotFollowedHoweverDeep() {
		byte[] hostile = TaggedImages.nestedFramesWebp(5_000);

		byte[] stripped = ImageMetadata.strip(hostile, ImageFormat.WEBP);

		assertThat(hostile.length).isGreaterThan(100_000);
		assertThat(stripped.length).as("the outer frame's header, its inner frames gone").isEqualTo(12 + 24);
	}

	@Test
	void anOrientationIsReadAsBrowsersReadItWhateverTheExifPaddingByte() {
		byte[] png = TaggedImages.taggedPng(12, 10, 6);
		byte[] photo = TaggedImages.phoneJpeg(TaggedImages.plainJpeg(8, 8), 8);
		// "Exif" and a NUL, then a padding byte some cameras write as FF
		int exif = new String(photo, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("Exif");
		photo[exif + 5] = (byte) 0xFF;

		assertThat(ImageMetadata.orientation(png)).isEqualTo(6);
		assertThat(ImageMetadata.orientation(ImageMetadata.strip(png, ImageFormat.PNG))).isEqualTo(6);
		assertThat(ImageMetadata.orientation(photo)).isEqualTo(8);
		assertThat(ImageMetadata.orientation(ImageMetadata.strip(photo, ImageFormat.JPEG))).isEqualTo(8);
		assertThat(MediaLibrary.shownSize(png)).as("a PNG's size as shown").isEqualTo(new Images.Size(10, 12));
	}

	@Test
	void damagedOrCutFilesAreRefusedWithAMessageOrStrippedNeverAnythingElse() {
		java.util.Random random = new java.util.Random(42);
		byte[][] images = { TaggedImages.phoneJpeg(TaggedImages.plainJpeg(24, 16), 6),
				TaggedImages.taggedPng(12, 10, 6), TaggedImages.taggedWebp(), TaggedImages.taggedGif() };
		ImageFormat[] types = { ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.GIF };
		for (int i = 0; i < images.length; i++) {
			for (int round = 0; round < 400; round++) {
				byte[] damaged = Arrays.copyOf(images[i], 8 + random.nextInt(images[i].length - 8));
				if (round % 2 == 0) {
					damaged = Arrays.copyOf(images[i], images[i].length);
					for (int flips = 0; flips < 1 + random.nextInt(4); flips++) {
						damaged[8 + random.nextInt(damaged.length - 8)] = (byte) random.nextInt();
					}
				}
				byte[] input = damaged;
				ImageFormat type = types[i];
				try {
					ImageMetadata.strip(input, type);
				}
				catch (InvalidMediaException refused) {
					assertThat(refused).hasMessageContaining("save it again");
				}
				assertThat(ImageMetadata.orientation(input)).isBetween(1, 8);
			}
		}
	}

	@Test
	void aWebpLosesItsExifAndXmpChunksAndStaysAWellFormedContainer() {
		byte[] webp = TaggedImages.taggedWebp();

		byte[] stripped = ImageMetadata.strip(webp, ImageFormat.WEBP);

		assertThat(TaggedImages.tellsSecrets(stripped)).isFalse();
		assertThat(ascii(stripped)).doesNotContain("EXIF").doesNotContain("XMP ").contains("VP8L");
		ByteBuffer buffer = ByteBuffer.wrap(stripped).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(buffer.getInt(4)).as("RIFF size").isEqualTo(stripped.length - 8);
		assertThat(buffer.getInt(16)).as("VP8X's size: its ten bytes").isEqualTo(10);
		assertThat(chunksEndAtTheEnd(stripped, 12, stripped.length)).as("every chunk, frames' too, in step").isTrue();
		assertThat(stripped[20] & 0x0C).as("VP8X's EXIF and XMP flags").isZero();
		assertThat(ImageFormat.sniff(stripped)).contains(ImageFormat.WEBP);
	}

	@Test
	void aJpegWhoseSegmentsRunPastItsEndIsRefusedRatherThanStoredWithWhatItCarries() {
		byte[] photo = TaggedImages.phoneJpeg(TaggedImages.plainJpeg(8, 8), 6);
		byte[] cut = Arrays.copyOf(photo, 60);

		assertThatExceptionOfType(InvalidMediaException.class)
			.isThrownBy(() -> ImageMetadata.strip(cut, ImageFormat.JPEG))
			.withMessageContaining("damaged")
			.withMessageContaining("save it again");
	}

	@Test
	void aThumbnailIsTurnedAsItsOrientationSays() {
		// 3 × 2: a, b, c on top, d, e, f below
		BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
		int[] values = { 1, 2, 3, 4, 5, 6 };
		for (int i = 0; i < values.length; i++) {
			image.setRGB(i % 3, i / 3, values[i]);
		}

		// 6: turned clockwise, d a / e b / f c
		assertThat(rows(ThumbnailHandler.oriented(image, 6))).isEqualTo("41 52 63");
		// 8: turned counter-clockwise, c f / b e / a d
		assertThat(rows(ThumbnailHandler.oriented(image, 8))).isEqualTo("36 25 14");
		assertThat(rows(ThumbnailHandler.oriented(image, 3))).isEqualTo("654 321");
		assertThat(rows(ThumbnailHandler.oriented(image, 2))).isEqualTo("321 654");
		assertThat(rows(ThumbnailHandler.oriented(image, 4))).isEqualTo("456 123");
		// 5: transposed, a d / b e / c f; 7: transversed, f c / e b / d a
		assertThat(rows(ThumbnailHandler.oriented(image, 5))).isEqualTo("14 25 36");
		assertThat(rows(ThumbnailHandler.oriented(image, 7))).isEqualTo("63 52 41");
		assertThat(rows(ThumbnailHandler.oriented(image, 1))).isEqualTo("123 456");
	}

	/**
	 * Whether RIFF chunks from {@code from} (an animation frame's inside too) end at
	 * {@code to}.
	 */
	private static boolean chunksEndAtTheEnd(byte[] riff, int from, int to) {
		ByteBuffer buffer = ByteBuffer.wrap(riff).order(ByteOrder.LITTLE_ENDIAN);
		int at = from;
		while (at + 8 <= to) {
			int length = buffer.getInt(at + 4);
			String chunk = new String(riff, at, 4, StandardCharsets.ISO_8859_1);
			if (chunk.equals("ANMF") && !chunksEndAtTheEnd(riff, at + 24, at + 8 + length)) {
				return false;
			}
			at += 8 + length + (length & 1);
		}
		return at == to;
	}

	private static String rows(BufferedImage image) {
		StringBuilder rows = new StringBuilder();
		for (int y = 0; y < image.getHeight(); y++) {
			rows.append((y > 0) ? " " : "");
			for (int x = 0; x < image.getWidth(); x++) {
				rows.append(image.getRGB(x, y) & 0xFFFFFF);
			}
		}
		return rows.toString();
	}

	private static int[] pixels(byte[] image) throws IOException {
		BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
		return decoded.getRGB(0, 0, decoded.getWidth(), decoded.getHeight(), null, 0, decoded.getWidth());
	}

	private static String ascii(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

}
