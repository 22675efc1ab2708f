package dev.vitrine.admin;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.imageio.ImageIO;

import dev.vitrine.content.ContentEditor;
import dev.vitrine.content.Entry;
import dev.vitrine.content.EntryKind;
import dev.vitrine.content.Media;
import dev.vitrine.content.MakeThumbnail;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.jobs.JobId;
import dev.vitrine.jobs.JobMonitor;
import dev.vitrine.jobs.JobState;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.support.LargePng;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.TaggedImages;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.vitrine.support.EntryChanges.anEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Image uploads through the admin: stored in PostgreSQL, thumbnailed by a worker job,
 * served by the site; wrong types, oversized files and paths in names are handled.
 */
class MediaUploadTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static RunningApp app;

	private static int port;

	@BeforeAll
	static void start() {
		app = RunningApp.start("media_upload", "vitrine.roles=all", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD);
		port = app.port();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void anUploadedImageIsServedAndGetsAThumbnailFromAJob() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");

		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "Holiday Photo.PNG", "image/png",
				png(1600, 900, false));

		assertThat(uploaded.statusCode()).isEqualTo(302);
		assertThat(owner.get("/admin/media").body()).contains("Uploaded holiday-photo.png")
			.contains("![description](/media/");
		Media media = app.bean(MediaLibrary.class).list().getFirst();
		assertThat(media.width()).isEqualTo(1600);
		// shown by no public content yet: the owner's alone
		assertThat(new WebSession(port).getBytes(media.path()).statusCode()).isEqualTo(404);
		HttpResponse<byte[]> original = owner.getBytes(media.path());
		assertThat(original.statusCode()).isEqualTo(200);
		assertThat(original.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(original.headers().firstValue("Cache-Control")).hasValue("no-cache, private");

		await().atMost(Duration.ofSeconds(20))
			.until(() -> app.bean(MediaLibrary.class).find(media.id()).orElseThrow().hasThumbnail());
		HttpResponse<byte[]> thumbnail = owner.getBytes(media.thumbnailPath());
		assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
		assertThat(small.getWidth()).isEqualTo(400);
		assertThat(small.getHeight()).isEqualTo(225);
	}

	@Test
	void aPhonePhotoIsStoredWithoutWhereItWasTakenAndShownUprightWithItsThumbnail() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		// a portrait photo: stored landscape, 6 says turn it clockwise
		byte[] photo = TaggedImages.phoneJpeg(TaggedImages.plainJpeg(80, 40), 6);

		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "IMG_0042.JPG", "image/jpeg", photo);

		assertThat(uploaded.statusCode()).isEqualTo(302);
		Media media = app.bean(MediaLibrary.class).list().getFirst();
		assertThat(media.fileName()).isEqualTo("img_0042.jpg");
		assertThat(new int[] { media.width(), media.height() }).as("its size as shown").containsExactly(40, 80);
		HttpResponse<byte[]> original = owner.getBytes(media.path());
		assertThat(original.statusCode()).isEqualTo(200);
		assertThat(TaggedImages.tellsSecrets(original.body())).as("GPS, camera, XMP, IPTC or comments served")
			.isFalse();
		assertThat(ImageIO.read(new ByteArrayInputStream(original.body())).getWidth()).isEqualTo(80);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> app.bean(MediaLibrary.class).find(media.id()).orElseThrow().hasThumbnail());
		BufferedImage small = ImageIO.read(new ByteArrayInputStream(owner.getBytes(media.thumbnailPath()).body()));
		assertThat(new int[] { small.getWidth(), small.getHeight() }).as("the thumbnail, upright")
			.containsExactly(40, 80);
		assertThat(app.bean(JdbcClient.class)
			.sql("SELECT prepared FROM media WHERE id = ?")
			.param(media.id())
			.query(Boolean.class)
			.single()).as("left to no sweep").isTrue();
		// the green stripe along the file's top is on the right once turned
		assertThat(new Color(small.getRGB(37, 40)).getGreen()).isGreaterThan(200);
		assertThat(new Color(small.getRGB(2, 40)).getGreen()).isLessThan(100);
	}

	@Test
	void anOriginalOfManyChunksIsSentWholeAndRevalidatesWithoutItsBytes() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		// noise does not compress: about 1.4 MB, several of the chunks it is read in
		byte[] noise = LargePng.noise(800, 600, 17);
		Media media = app.bean(MediaLibrary.class).store("noise.png", noise);

		HttpResponse<byte[]> original = owner.getBytes(media.path());
		HttpResponse<String> revalidated = owner.get(media.path(), "If-None-Match",
				original.headers().firstValue("ETag").orElseThrow());

		assertThat(noise.length).isGreaterThan(1_000_000);
		assertThat(original.statusCode()).isEqualTo(200);
		assertThat(original.headers().firstValueAsLong("Content-Length")).hasValue(noise.length);
		assertThat(original.body()).isEqualTo(noise);
		assertThat(revalidated.statusCode()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
	}

	@Test
	void uploadedImagesInMarkdownGetTheirSizeSoNothingShiftsWhileTheyLoad() throws IOException {
		Media media = app.bean(MediaLibrary.class).store("wide.png", png(640, 320, false));

		Entry article = app.bean(ContentEditor.class)
			.create(EntryKind.ARTICLE,
					anEntry("With a picture").body("![A wide picture](" + media.path() + ")").build());

		assertThat(article.bodyHtml()).contains("<img src=\"" + media.path()
				+ "\" width=\"640\" height=\"320\" loading=\"lazy\" alt=\"A wide picture\"");
		assertThat(new WebSession(port).get("/articles/with-a-picture").body())
			.contains("width=\"640\" height=\"320\"");
	}

	@Test
	void theImagesListSaysWhatShowsEachImageAndDeletingOneNamesThePagesItBreaks() throws IOException {
		MediaLibrary library = app.bean(MediaLibrary.class);
		Media shown = library.store("shown.png", png(40, 20, false));
		Media unused = library.store("unused.png", png(40, 20, false));
		// a draft too: it shows the image once published
		Entry draft = app.bean(ContentEditor.class)
			.create(EntryKind.PROJECT,
					anEntry("Draft with the picture").published(false).body("![x](" + shown.path() + ")").build());
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);

		String page = owner.get("/admin/media").body();

		assertThat(page).contains("Shown by project “Draft with the picture”")
			.contains("data-confirm=\"Delete this image? project “Draft with the picture” would show a broken image"
					+ " where it is.\"")
			.contains("action=\"/admin/media/" + unused.id() + "/delete\" data-confirm=\"Delete this image? Nothing"
					+ " shows it.\"");
		HttpResponse<String> deleted = owner.post("/admin/media/" + shown.id() + "/delete", java.util.Map.of());
		assertThat(deleted.statusCode()).isEqualTo(302);
		assertThat(owner.get("/admin/media").body()).contains("Image deleted. project “Draft with the picture” showed"
				+ " it, and now show a broken image where it was: edit them.");
		app.bean(ContentEditor.class).delete(draft.id());
		library.delete(unused.id());
	}

	@Test
	void aFileThatIsNotAnImageIsRefusedWhateverItsNameSays() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		int before = app.bean(MediaLibrary.class).list().size();

		HttpResponse<String> refused = owner.upload("/admin/media", "file", "cat.png", "image/png",
				"<svg onload=alert(1)></svg>".getBytes(StandardCharsets.UTF_8));

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("This is not a PNG, JPEG, GIF or WebP image");
		assertThat(app.bean(MediaLibrary.class).list()).hasSize(before);
	}

	@Test
	void anOversizedFileIsRefusedWithTheLimit() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		byte[] big = new byte[6 * 1024 * 1024];
		System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A }, 0, big, 0, 8);

		HttpResponse<String> refused = owner.upload("/admin/media", "file", "big.png", "image/png", big);
		// just under the request's limit: the servlet container must not drop the part
		// (and the form's CSRF token with it) before the upload can say why
		byte[] bigger = java.util.Arrays.copyOf(big, 20 * 1024 * 1024 + 512 * 1024);
		HttpResponse<String> nearTheLimit = owner.upload("/admin/media", "file", "bigger.png", "image/png", bigger);

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("The file is 6.0 MB; the limit is 5.0 MB.");
		assertThat(nearTheLimit.statusCode()).isEqualTo(422);
		assertThat(nearTheLimit.body()).contains("The file is 20.5 MB; the limit is 5.0 MB.");
	}

	/**
	 * A phone's 25 MB picture is over the request's limit too, which is refused before it
	 * is read: the browser shows that refusal in place of the form, so it says the limit
	 * the form gives (5 MB, not the request's 21) and leads back to the form.
	 */
	@Test
	void aFileOverTheRequestsLimitIsRefusedWithTheImagesLimitAndTheWayBack() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		int before = app.bean(MediaLibrary.class).list().size();
		byte[] huge = java.util.Arrays.copyOf(LargePng.of(100, 100), 25 * 1024 * 1024);

		HttpResponse<String> refused = owner.upload("/admin/media", "file", "huge.png", "image/png", huge);

		assertThat(refused.statusCode()).isEqualTo(413);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		assertThat(refused.body()).contains("The file is about 25.0 MB; the limit is 5.0 MB. Nothing was uploaded")
			.contains("<a href=\"/admin/media\">Back to Images</a>")
			.doesNotContain("21.0 MB");
		assertThat(app.bean(MediaLibrary.class).list()).hasSize(before);
	}

	@Test
	void anUploadMustSayItsLengthAsEveryBrowserDoes() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		int before = app.bean(MediaLibrary.class).list().size();
		byte[] big = java.util.Arrays.copyOf(LargePng.of(100, 100), 22 * 1024 * 1024);

		HttpResponse<String> small = owner.upload("/admin/media", "file", "small.png", "image/png", png(20, 10, false),
				false);
		HttpResponse<String> overTheLimit = owner.upload("/admin/media", "file", "big.png", "image/png", big, false);

		assertThat(small.statusCode()).isEqualTo(411);
		assertThat(small.body()).contains("Send the upload with a Content-Length");
		assertThat(overTheLimit.statusCode()).isEqualTo(411);
		assertThat(app.bean(MediaLibrary.class).list()).hasSize(before);
	}

	@Test
	void aFileNameAsLongAsAFileSystemAllowsIsTaken() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		// 255 characters, 765 bytes of UTF-8: the longest name macOS and Windows allow
		String name = "\u3042".repeat(251) + ".png";

		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", name, "image/png", png(20, 10, false));

		assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(302);
		assertThat(app.bean(MediaLibrary.class).list().getFirst().fileName()).isEqualTo("image.png");
	}

	@Test
	void anImageOfMorePixelsThanTheLimitIsRefusedWithoutBeingDecoded() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		int before = app.bean(MediaLibrary.class).list().size();
		// under a megabyte of PNG, 576 MB once decoded
		byte[] bomb = LargePng.of(12_000, 12_000);

		HttpResponse<String> refused = owner.upload("/admin/media", "file", "bomb.png", "image/png", bomb);

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body())
			.contains("The image is 12000 × 12000 pixels (144 megapixels); the limit is 40 megapixels. Scale it down");
		assertThat(app.bean(MediaLibrary.class).list()).hasSize(before);
		assertThat(new WebSession(port).get("/").statusCode()).as("still serving").isEqualTo(200);
	}

	@Test
	void aWebpIsMeasuredFromItsHeaderAndRefusedOverThePixelLimit() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		int before = app.bean(MediaLibrary.class).list().size();

		HttpResponse<String> refused = owner.upload("/admin/media", "file", "bomb.webp", "image/webp",
				TaggedImages.webpClaiming("VP8X", 16_000, 16_000));
		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "small.webp", "image/webp",
				TaggedImages.taggedWebp());

		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("The image is 16000 × 16000 pixels (256 megapixels)");
		assertThat(uploaded.statusCode()).isEqualTo(302);
		Media small = app.bean(MediaLibrary.class).list().getFirst();
		assertThat(app.bean(MediaLibrary.class).list()).hasSize(before + 1);
		assertThat(new int[] { small.width(), small.height() }).containsExactly(10, 5);
	}

	@Test
	void aLargeImageWithinTheLimitGetsItsThumbnail() {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");

		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "panorama.png", "image/png",
				LargePng.of(7_000, 5_000));

		assertThat(uploaded.statusCode()).isEqualTo(302);
		Media media = app.bean(MediaLibrary.class).list().getFirst();
		assertThat(media.width()).isEqualTo(7_000);
		assertThat(media.height()).isEqualTo(5_000);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> app.bean(MediaLibrary.class).find(media.id()).orElseThrow().hasThumbnail());
	}

	@Test
	void aThumbnailJobForAnImageOverTheLimitIsDiscardedAndTheWorkerCarriesOn() throws IOException {
		// stored before the limit existed: straight into the table
		long bomb = app.bean(JdbcClient.class)
			.sql("""
					INSERT INTO media (file_name, content_type, bytes, size, sha256, width, height)
					VALUES ('old-bomb.png', 'image/png', ?, 1, 'not-checked', 0, 0) RETURNING id""")
			.param(LargePng.of(12_000, 12_000))
			.query(Long.class)
			.single();

		JobId job = app.bean(Jobs.class).enqueue(MakeThumbnail.TYPE, new MakeThumbnail(bomb));

		JobMonitor monitor = app.bean(JobMonitor.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> monitor.job(job).map(JobMonitor.JobDetail::state).orElse(null), JobState.DISCARDED::equals);
		JobMonitor.JobDetail detail = monitor.job(job).orElseThrow();
		assertThat(detail.attempts()).hasSize(1);
		assertThat(detail.attempts().getFirst().error())
			.contains("is 12000 × 12000 pixels, over VITRINE_MEDIA_MAX_PIXELS (40000000)");
		assertThat(app.bean(MediaLibrary.class).find(bomb).orElseThrow().hasThumbnail()).isFalse();
		Media next = app.bean(MediaLibrary.class).store("after.png", png(800, 600, false));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> app.bean(MediaLibrary.class).find(next.id()).orElseThrow().hasThumbnail());
	}

	@Test
	void aProgressiveJpegTooLargeToDecodeWithinTheBudgetGetsNoThumbnailAndTheWorkerCarriesOn() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");
		// within the pixel limit, but its coefficients alone are 114 MB outside the heap
		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "export.jpg", "image/jpeg",
				TaggedImages.progressiveJpegClaiming(8_000, 5_000));
		assertThat(uploaded.statusCode()).isEqualTo(302);
		Media media = app.bean(MediaLibrary.class).list().getFirst();

		JdbcClient jdbc = app.bean(JdbcClient.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc
				.sql("SELECT count(*) FROM job_run WHERE job_type = 'content.thumbnail'"
						+ " AND payload ->> 'mediaId' = ?")
				.param(Long.toString(media.id()))
				.query(Integer.class)
				.single() > 0);
		assertThat(
				jdbc.sql("SELECT error FROM job_run WHERE job_type = 'content.thumbnail' AND payload ->> 'mediaId' = ?")
					.param(Long.toString(media.id()))
					.query(String.class)
					.list())
			.as("its one attempt, discarded")
			.singleElement()
			.asString()
			.contains("is a progressive JPEG of 8000 × 5000 pixels: decoding it takes 114 MB outside the heap");
		assertThat(app.bean(MediaLibrary.class).find(media.id()).orElseThrow().hasThumbnail()).isFalse();
		Media next = app.bean(MediaLibrary.class).store("after.png", png(800, 600, false));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> app.bean(MediaLibrary.class).find(next.id()).orElseThrow().hasThumbnail());
	}

	@Test
	void anImageNoDecoderCanReadGetsNoThumbnailOnceAndIsNotTriedAgain() {
		// a frame and a scan without the tables to decode them, as a damaged export has
		Media media = app.bean(MediaLibrary.class)
			.store("no-tables.jpg", TaggedImages.progressiveJpegClaiming(100, 100));
		JdbcClient jdbc = app.bean(JdbcClient.class);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbc.sql("SELECT prepared FROM media WHERE id = ?")
				.param(media.id())
				.query(Boolean.class)
				.single());
		assertThat(
				jdbc.sql("SELECT error FROM job_run WHERE job_type = 'content.thumbnail' AND payload ->> 'mediaId' = ?")
					.param(Long.toString(media.id()))
					.query(String.class)
					.list())
			.as("one attempt, discarded: the same bytes fail the same way")
			.singleElement()
			.asString()
			.contains("cannot be decoded");
	}

	@Test
	void aPathInTheFileNameIsReducedToASafeBaseName() throws IOException {
		WebSession owner = new WebSession(port).signIn(EMAIL, PASSWORD);
		owner.get("/admin/media");

		HttpResponse<String> uploaded = owner.upload("/admin/media", "file", "../../etc/passwd<script>.gif",
				"image/gif", gif());

		assertThat(uploaded.statusCode()).isEqualTo(302);
		Media media = app.bean(MediaLibrary.class).list().getFirst();
		assertThat(media.fileName()).isEqualTo("passwd-script.gif");
		assertThat(media.path()).isEqualTo("/media/" + media.id() + "/passwd-script.gif");
		assertThat(owner.get("/admin/media").body()).doesNotContain("<script>.gif");
	}

	@Test
	void uploadsNeedTheOwnersLoginAndTheCsrfToken() throws IOException {
		WebSession stranger = new WebSession(port);
		stranger.get("/");

		assertThat(stranger.upload("/admin/media", "file", "x.png", "image/png", png(10, 10, true)).statusCode())
			.isIn(302, 403);
		assertThat(new WebSession(port).get("/media/999999/none.png").statusCode()).isEqualTo(404);
	}

	private static byte[] png(int width, int height, boolean alpha) throws IOException {
		BufferedImage image = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.ORANGE);
		graphics.fillRect(0, 0, width / 2, height);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private static byte[] gif() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_INDEXED), "gif", out);
		return out.toByteArray();
	}

}
