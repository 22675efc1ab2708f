package dev.vitrine.content;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import dev.vitrine.jobs.JobContext;
import dev.vitrine.jobs.JobHandler;
import dev.vitrine.jobs.JobType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a thumbnail at most {@value #WIDTH} pixels wide: PNG when the image has
 * transparency, JPEG otherwise. Images Java cannot decode (WebP) get none, and the admin
 * shows the original instead. Running twice writes the same thumbnail.
 */
@Component
class ThumbnailHandler implements JobHandler<MakeThumbnail> {

	static final int WIDTH = 400;

	private static final Logger log = LoggerFactory.getLogger(ThumbnailHandler.class);

	// the thumbnail columns directly: MediaLibrary's API is what the admin and site need
	private final JdbcClient jdbc;

	ThumbnailHandler(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public JobType<MakeThumbnail> type() {
		return MakeThumbnail.TYPE;
	}

	@Override
	public void handle(MakeThumbnail payload, JobContext context) throws IOException {
		byte[] original = this.jdbc.sql("SELECT bytes FROM media WHERE id = ?")
			.param(payload.mediaId())
			.query((rs, row) -> rs.getBytes(1))
			.optional()
			.orElse(null);
		if (original == null) {
			log.info("Media {} was deleted before its thumbnail was made", payload.mediaId());
			return;
		}
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(original));
		if (image == null) {
			log.info("Media {}: no decoder for this image type, so no thumbnail", payload.mediaId());
			return;
		}
		boolean alpha = image.getColorModel().hasAlpha();
		int width = Math.min(WIDTH, image.getWidth());
		int height = Math.max(1, Math.round(image.getHeight() * (width / (float) image.getWidth())));
		BufferedImage thumbnail = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = thumbnail.createGraphics();
		graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
		graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
		graphics.drawImage(image, 0, 0, width, height, null);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		String format = alpha ? "png" : "jpg";
		ImageIO.write(thumbnail, format, out);
		this.jdbc.sql("UPDATE media SET thumbnail = ?, thumbnail_type = ? WHERE id = ?")
			.params(out.toByteArray(), alpha ? "image/png" : "image/jpeg", payload.mediaId())
			.update();
	}

}
