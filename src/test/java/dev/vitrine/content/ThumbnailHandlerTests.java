package dev.vitrine.content;

import java.awt.image.BufferedImage;
import java.io.IOException;

import dev.vitrine.support.LargePng;
import dev.vitrine.support.TaggedImages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How much of an image a thumbnail decodes: the header's size is read without decoding,
 * and the pixels are decoded subsampled, never whole.
 */
class ThumbnailHandlerTests {

	@Test
	void theSizeComesFromTheHeaderAlone() {
		// decoding this whole would take 576 MB; reading its header takes nothing
		assertThat(Images.size(LargePng.of(12_000, 12_000))).contains(new Images.Size(12_000, 12_000));
		assertThat(Images.size("not an image".getBytes())).isEmpty();
	}

	@Test
	void whatAProgressiveJpegHoldsWholeToBeDecodedIsCountedFromItsFrame() throws IOException {
		// 1000 × 625 luma blocks and 500 × 313 of each chroma, 128 bytes a block
		assertThat(Images.wholeImageBuffer(TaggedImages.progressiveJpegClaiming(8_000, 5_000)))
			.isEqualTo((1000L * 625 + 2L * 500 * 313) * 128);
		assertThat(Images.size(TaggedImages.progressiveJpegClaiming(8_000, 5_000)))
			.contains(new Images.Size(8_000, 5_000));
		assertThat(Images.wholeImageBuffer(TaggedImages.plainJpeg(80, 40))).as("progressive, as written").isPositive();
		java.io.ByteArrayOutputStream baseline = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB), "jpeg", baseline);
		assertThat(Images.wholeImageBuffer(baseline.toByteArray())).as("baseline, decoded row by row").isZero();
		assertThat(Images.wholeImageBuffer(LargePng.of(100, 100))).isZero();
	}

	@Test
	void aWebpsSizeComesFromItsOwnHeaderThoughJavaCannotDecodeIt() {
		assertThat(Images.size(TaggedImages.webpClaiming("VP8X", 16_000, 12_000)))
			.contains(new Images.Size(16_000, 12_000));
		assertThat(Images.size(TaggedImages.webpClaiming("VP8 ", 1_024, 768))).contains(new Images.Size(1_024, 768));
		assertThat(Images.size(TaggedImages.webpClaiming("VP8L", 9_000, 5_000)))
			.contains(new Images.Size(9_000, 5_000));
		assertThat(Images.size(TaggedImages.taggedWebp())).contains(new Images.Size(10, 5));
		assertThat(Images.size(java.util.Arrays.copyOf(TaggedImages.taggedWebp(), 20))).isEmpty();
	}

	@Test
	void aLargeImageIsDecodedAtAboutTwiceTheThumbnailsWidth() throws IOException {
		byte[] panorama = LargePng.of(7_000, 5_000);

		BufferedImage decoded = ThumbnailHandler.decodeForThumbnail(panorama, new Images.Size(7_000, 5_000))
			.orElseThrow();

		assertThat(decoded.getWidth()).isEqualTo(875);
		assertThat(decoded.getHeight()).isEqualTo(625);
	}

	@Test
	void aThumbnailFitsItsBoxWhateverTheImagesShape() {
		assertThat(ThumbnailHandler.thumbnailSize(new Images.Size(1_600, 1_200))).isEqualTo(new Images.Size(400, 300));
		assertThat(ThumbnailHandler.thumbnailSize(new Images.Size(120, 80))).isEqualTo(new Images.Size(120, 80));
		// as wide as a thumbnail and within the pixel limit: scaled
		// to its width alone, its thumbnail would be the whole
		// 40-megapixel strip
		assertThat(ThumbnailHandler.thumbnailSize(new Images.Size(400, 100_000)))
			.isEqualTo(new Images.Size(5, ThumbnailHandler.MAX_HEIGHT));
	}

	@Test
	void aLongNarrowImageIsDecodedWithinTheBudgetWhateverItsWidth() throws IOException {
		byte[] strip = LargePng.of(500, 40_000);

		BufferedImage decoded = ThumbnailHandler.decodeForThumbnail(strip, new Images.Size(500, 40_000)).orElseThrow();

		assertThat((long) decoded.getWidth() * decoded.getHeight()).isLessThanOrEqualTo(ThumbnailHandler.DECODE_BUDGET);
		assertThat(decoded.getWidth()).isEqualTo(167);
	}

}
