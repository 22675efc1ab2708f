package dev.vitrine.content;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import javax.imageio.ImageIO;

import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobOutcome;
import dev.vitrine.jobs.JobType;
import dev.vitrine.ops.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a thumbnail at most {@value #WIDTH} pixels wide and {@value #MAX_HEIGHT} tall:
 * PNG when the image has transparency, JPEG otherwise. Images Java cannot decode (WebP)
 * get none, and the admin shows the original instead. The image is decoded subsampled,
 * never whole, and one over the pixel limit (stored before the limit existed) is
 * discarded undecoded: decoding it would take the worker down, again at every retry; so
 * is a progressive JPEG whose decoding would hold more than {@link #WHOLE_IMAGE_BUDGET}.
 * A JPEG's thumbnail is turned as its EXIF orientation says it is shown. Running twice
 * writes the same thumbnail.
 */
@Component
class ThumbnailHandler implements JobHandler<MakeThumbnail> {

	static final int WIDTH = 400;

	/**
	 * The most a thumbnail is tall: a strip 400 pixels wide and 100,000 tall is within
	 * the pixel limit, and as wide as a thumbnail, so scaled to the width alone its
	 * thumbnail would be the whole image (160 MB as ARGB, the worker's heap in a small
	 * container).
	 */
	static final int MAX_HEIGHT = 3 * WIDTH;

	/** The most pixels decoded for one thumbnail (16 MB as ARGB). */
	static final long DECODE_BUDGET = 4_000_000;

	/**
	 * The most a JPEG may need held whole outside the heap to be decoded
	 * ({@link Images#wholeImageBuffer}): a progressive one of about 22 megapixels in
	 * 4:2:0. Two thumbnail jobs at once beside the worker's browser must fit a small
	 * container; a 40-megapixel progressive JPEG in 4:4:4 would take 240 MB.
	 */
	static final long WHOLE_IMAGE_BUDGET = 64L * 1024 * 1024;

	private static final Logger log = LoggerFactory.getLogger(ThumbnailHandler.class);

	// the thumbnail columns directly: MediaLibrary's API is what the admin and site need
	private final JdbcClient jdbc;

	private final long maxPixels;

	private final ImageSizes sizes;

	/** As many as thumbnail jobs run at once ({@link MakeThumbnail}). */
	static final int DECODES = 2;

	private final Semaphore decodes = new Semaphore(DECODES);

	ThumbnailHandler(JdbcClient jdbc, MediaSettings settings, ImageSizes sizes) {
		this.jdbc = jdbc;
		this.maxPixels = settings.maxPixels();
		this.sizes = sizes;
	}

	@Override
	public JobType<MakeThumbnail> type() {
		return MakeThumbnail.TYPE;
	}

	@Override
	public void handle(MakeThumbnail payload, JobContext context) throws IOException {
		prepare(payload.mediaId());
	}

	/**
	 * Prepares a stored image as this version serves it: without its metadata (stored so
	 * by an earlier version, or by one beside this one during a deploy), its size as
	 * shown (in its row and in the pages that show it), its thumbnail made from that;
	 * then its row is marked {@code prepared}, last, so a crash before redoes it all.
	 * Each write is of the bytes read: an image replaced meanwhile is left to its own
	 * job.
	 * @throws JobOutcome.Discard when the image gets no thumbnail ever (marked prepared)
	 */
	void prepare(long id) throws IOException {
		Stored stored = this.jdbc.sql("SELECT bytes, content_type, sha256, width, height FROM media WHERE id = ?")
			.param(id)
			.query((rs, row) -> new Stored(rs.getBytes(1), rs.getString(2), rs.getString(3),
					new Images.Size(rs.getInt(4), rs.getInt(5))))
			.optional()
			.orElse(null);
		if (stored == null) {
			log.info("Media {} was deleted before its thumbnail was made", id);
			return;
		}
		Stored current = stripped(id, stored);
		if (current == null) {
			return;
		}
		byte[] original = current.bytes();
		String sha256 = current.sha256();
		Optional<Images.Size> size = Images.size(original);
		if (size.isEmpty()) {
			log.info("Media {}: no decoder for this image type, so no thumbnail", id);
			markPrepared(id, sha256);
			return;
		}
		if (size.get().pixels() > this.maxPixels) {
			markPrepared(id, sha256);
			throw JobOutcome.discard("media " + id + " is " + size.get().width() + " × " + size.get().height()
					+ " pixels, over VITRINE_MEDIA_MAX_PIXELS (" + this.maxPixels
					+ "): no thumbnail, the image is not decoded");
		}
		long buffer = Images.wholeImageBuffer(original);
		if (buffer > WHOLE_IMAGE_BUDGET) {
			markPrepared(id, sha256);
			throw JobOutcome.discard("media " + id + " is a progressive JPEG of " + size.get().width() + " × "
					+ size.get().height() + " pixels: decoding it takes " + buffer / (1024 * 1024)
					+ " MB outside the heap, over the " + WHOLE_IMAGE_BUDGET / (1024 * 1024)
					+ " MB a thumbnail may; no thumbnail (save it as a baseline JPEG, or smaller, to get one)");
		}
		Optional<byte[]> made;
		try {
			made = thumbnail(original, size.get());
		}
		catch (IOException | RuntimeException ex) {
			// the same bytes fail the same way: no retry, and no sweep again
			markPrepared(id, sha256);
			String why = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
			throw JobOutcome.discard("media " + id + " cannot be decoded (" + why + "): no thumbnail");
		}
		if (made.isEmpty()) {
			log.info("Media {}: no decoder for this image type, so no thumbnail", id);
			markPrepared(id, sha256);
			return;
		}
		this.jdbc.sql("""
				UPDATE media SET thumbnail = ?, thumbnail_type = ?, prepared = true
				WHERE id = ? AND sha256 = ?""")
			.params(made.get(), ImageFormat.sniff(made.get()).orElseThrow().mediaType(), id, sha256)
			.update();
	}

	/**
	 * The thumbnail, as shown (turned by its orientation): PNG when the image has
	 * transparency, JPEG otherwise; empty when no decoder knows the type. At most
	 * {@value #DECODES} decodes at once in a process, whatever runs them (thumbnail jobs,
	 * the sweep): {@link #WHOLE_IMAGE_BUDGET} counts on it.
	 */
	private Optional<byte[]> thumbnail(byte[] original, Images.Size size) throws IOException {
		this.decodes.acquireUninterruptibly();
		try {
			return decodedThumbnail(original, size);
		}
		finally {
			this.decodes.release();
		}
	}

	private Optional<byte[]> decodedThumbnail(byte[] original, Images.Size size) throws IOException {
		BufferedImage image = decodeForThumbnail(original, size).orElse(null);
		if (image == null) {
			return Optional.empty();
		}
		boolean alpha = image.getColorModel().hasAlpha();
		int orientation = ImageMetadata.orientation(original);
		// fitted to the box as shown, drawn as the file stores it, then turned
		boolean turned = orientation >= 5;
		Images.Size shown = thumbnailSize(turned ? new Images.Size(size.height(), size.width()) : size);
		Images.Size fitted = turned ? new Images.Size(shown.height(), shown.width()) : shown;
		int width = fitted.width();
		int height = fitted.height();
		BufferedImage thumbnail = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = thumbnail.createGraphics();
		graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
		graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
		graphics.drawImage(image, 0, 0, width, height, null);
		graphics.dispose();
		thumbnail = oriented(thumbnail, orientation);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(thumbnail, alpha ? "png" : "jpg", out);
		return Optional.of(out.toByteArray());
	}

	/**
	 * The stored image without its metadata, stored so when it was not, with its size as
	 * shown; null when it was replaced or deleted meanwhile. An image whose structure
	 * cannot be followed is kept as it is, with a warning naming it.
	 */
	private Stored stripped(long id, Stored stored) {
		byte[] stripped;
		try {
			stripped = ImageMetadata.strip(stored.bytes(), ImageFormat.ofMediaType(stored.type())
				.orElseThrow(() -> new InvalidMediaException("it is stored as " + stored.type() + ", not an image")));
		}
		catch (InvalidMediaException ex) {
			log.warn("Media {}: its metadata cannot be taken out, so it is kept as it is ({}); upload it again"
					+ " from an image editor", id, ex.getMessage());
			stripped = stored.bytes();
		}
		Images.Size shown = MediaLibrary.shownSize(stripped);
		if (Arrays.equals(stripped, stored.bytes()) && shown.equals(stored.size())) {
			return stored;
		}
		Stored current = new Stored(stripped, stored.type(), Sha256.hex(stripped), shown);
		int updated = this.jdbc.sql("""
				UPDATE media SET bytes = ?, size = ?, sha256 = ?, width = ?, height = ?
				WHERE id = ? AND sha256 = ?""")
			.params(stripped, stripped.length, current.sha256(), shown.width(), shown.height(), id, stored.sha256())
			.update();
		if (updated == 0) {
			return null;
		}
		log.info("Media {}: stored again as this version stores it, {} -> {} bytes, {} × {}", id, stored.bytes().length,
				stripped.length, shown.width(), shown.height());
		if (!shown.equals(stored.size()) && shown.pixels() > 0) {
			this.sizes.resized(id, shown);
		}
		return current;
	}

	private void markPrepared(long id, String sha256) {
		this.jdbc.sql("UPDATE media SET prepared = true WHERE id = ? AND sha256 = ?").params(id, sha256).update();
	}

	/**
	 * The image turned and mirrored as an EXIF orientation (2 to 8) says it is shown; a
	 * thumbnail is small enough to move pixel by pixel.
	 */
	static BufferedImage oriented(BufferedImage image, int orientation) {
		if (orientation < 2 || orientation > 8) {
			return image;
		}
		int w = image.getWidth();
		int h = image.getHeight();
		boolean turned = orientation >= 5;
		BufferedImage result = new BufferedImage(turned ? h : w, turned ? w : h, image.getType());
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				int rgb = image.getRGB(x, y);
				switch (orientation) {
					case 2 -> result.setRGB(w - 1 - x, y, rgb);
					case 3 -> result.setRGB(w - 1 - x, h - 1 - y, rgb);
					case 4 -> result.setRGB(x, h - 1 - y, rgb);
					case 5 -> result.setRGB(y, x, rgb);
					case 6 -> result.setRGB(h - 1 - y, x, rgb);
					case 7 -> result.setRGB(h - 1 - y, w - 1 - x, rgb);
					default -> result.setRGB(y, w - 1 - x, rgb);
				}
			}
		}
		return result;
	}

	/**
	 * The thumbnail's size: the image's, scaled down to fit {@value #WIDTH} ×
	 * {@value #MAX_HEIGHT}.
	 */
	static Images.Size thumbnailSize(Images.Size image) {
		double scale = Math.min(1, Math.min(WIDTH / (double) image.width(), MAX_HEIGHT / (double) image.height()));
		return new Images.Size(Math.max(1, (int) Math.round(image.width() * scale)),
				Math.max(1, (int) Math.round(image.height() * scale)));
	}

	/**
	 * The image decoded at about twice the thumbnail's width (enough for smooth scaling),
	 * and never more than {@link #DECODE_BUDGET} pixels, whatever its shape.
	 */
	static Optional<BufferedImage> decodeForThumbnail(byte[] bytes, Images.Size size) throws IOException {
		return Images.decode(bytes, subsampling(size));
	}

	/** Keep every n-th pixel of every n-th row. */
	static int subsampling(Images.Size size) {
		int forWidth = size.width() / (2 * WIDTH);
		int forBudget = (int) Math.ceil(Math.sqrt(size.pixels() / (double) DECODE_BUDGET));
		return Math.max(1, Math.max(forWidth, forBudget));
	}

	private record Stored(byte[] bytes, String type, String sha256, Images.Size size) {
	}

}
