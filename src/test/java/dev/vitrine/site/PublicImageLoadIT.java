package dev.vitrine.site;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.vitrine.content.MediaLibrary;
import dev.vitrine.ops.Sha256;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large public image asked for by many visitors at once, from a web process with a
 * small heap, in a JVM of its own: running out of memory ends it. Each request holds a
 * chunk of the image, not the whole of it (and the driver's copies), so every visitor
 * gets it whole and the process lives on.
 */
class PublicImageLoadIT {

	private static final int VISITORS = 24;

	@Test
	void manyVisitorsOfALargePublicImageAtOnceFitASmallHeap() throws Exception {
		String database = TestPostgres.newMigratedDatabase("public_image_load");
		JdbcClient jdbc = JdbcClient
			.create(new SimpleDriverDataSource(new org.postgresql.Driver(), database, TestPostgres.user(), null));
		// sent as stored, never decoded: random bytes at the upload limit will do
		byte[] image = new byte[MediaLibrary.MAX_BYTES];
		new Random(5).nextBytes(image);
		long id = jdbc.sql("""
				INSERT INTO media (file_name, content_type, bytes, size, sha256)
				VALUES ('big.png', 'image/png', ?, ?, ?) RETURNING id""")
			.params(image, image.length, Sha256.hex(image))
			.query(Long.class)
			.single();
		// the bio shows it: public
		jdbc.sql("INSERT INTO profile (name, bio_html) VALUES ('Ada', ?)")
			.param("<p><img src=\"/media/" + id + "/big.png\" alt=\"\"></p>")
			.update();
		int port = Http.freePort();
		Map<String, String> environment = new HashMap<>(AppProcess.siteEnvironment(database, "web", port));
		environment.put("JDK_JAVA_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError");

		try (AppProcess web = AppProcess.start("public-image-load", environment);
				HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				ExecutorService visitors = Executors.newVirtualThreadPerTaskExecutor()) {
			web.awaitHealthy(port, Duration.ofMinutes(4));
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/media/" + id + "/big.png"))
				.build();

			List<Future<HttpResponse<byte[]>>> responses = IntStream.range(0, VISITORS)
				.mapToObj((visitor) -> visitors
					.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray())))
				.toList();

			for (Future<HttpResponse<byte[]>> response : responses) {
				HttpResponse<byte[]> sent = response.get(2, TimeUnit.MINUTES);
				assertThat(sent.statusCode()).isEqualTo(200);
				assertThat(sent.body()).isEqualTo(image);
			}
			assertThat(web.isAlive()).as("the web process, after %d parallel requests", VISITORS).isTrue();
		}
	}

}
