package dev.vitrine.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.vitrine.ops.TestDirectories;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What request bodies the server reads, over raw HTTP: an attacker announces a large
 * body, sends its first 64 KB and waits for the answer. A server that reads (and spools)
 * the body first would wait for the rest; these expect the refusal at once, and nothing
 * spooled in the multipart directory.
 */
class RequestBodyLimitsTests {

	private static final String EMAIL = "owner@example.com";

	private static final String PASSWORD = "a long enough password";

	private static final int TEN_MB = 10 * 1024 * 1024;

	private static RunningApp app;

	private static Path spool;

	@BeforeAll
	static void start() {
		spool = TestDirectories.fresh("multipart-spool");
		app = RunningApp.start("body_limits", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.admin.email=" + EMAIL, "vitrine.admin.password=" + PASSWORD,
				"spring.servlet.multipart.location=" + spool.toAbsolutePath());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aTenMegabyteMultipartPostToTheContactFormIsRefusedBeforeItsBodyIsRead() throws IOException {
		try (Socket attacker = startMultipartPost("/contact", TEN_MB)) {
			String response = readResponse(attacker);

			assertThat(response).startsWith("HTTP/1.1 413 ").contains("at most 64 KB is accepted here");
		}
		assertThat(spooledFiles()).isEmpty();
	}

	@Test
	void fortyOfThemAtOnceLeaveTheSiteServing() throws IOException {
		List<Socket> attackers = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				attackers.add(startMultipartPost("/contact", TEN_MB));
			}

			assertThat(Http.get(app.port(), "/contact").statusCode()).as("during the attack").isEqualTo(200);
			for (Socket attacker : attackers) {
				assertThat(readResponse(attacker)).startsWith("HTTP/1.1 413 ");
			}
		}
		finally {
			for (Socket attacker : attackers) {
				attacker.close();
			}
		}
		assertThat(Http.get(app.port(), "/contact").statusCode()).as("after the attack").isEqualTo(200);
		assertThat(spooledFiles()).isEmpty();
	}

	@Test
	void anUploadWithoutTheOwnersSessionIsRefusedUnread() throws IOException {
		try (Socket stranger = startMultipartPost("/admin/media", TEN_MB)) {
			assertThat(readResponse(stranger)).startsWith("HTTP/1.1 403 ").contains("Sign in to upload images.");
		}
		assertThat(spooledFiles()).isEmpty();
	}

	@Test
	void aSmallMultipartBodyIsRefusedAnywhereButTheUpload() throws IOException {
		try (Socket visitor = startMultipartPost("/contact", 2_000)) {
			assertThat(readResponse(visitor)).startsWith("HTTP/1.1 415 ").contains("only the image upload does");
		}
	}

	@Test
	void aVisitorsFormIsCappedAndMustSayItsLength() throws IOException {
		WebSession visitor = new WebSession(app.port());
		visitor.get("/contact");

		HttpResponse<String> tooLong = visitor.post("/contact", Map.of("name", "Eve", "email", "eve@example.com",
				"subject", "", "message", "x".repeat(100_000), "website", ""));

		assertThat(tooLong.statusCode()).isEqualTo(413);
		assertThat(tooLong.body()).contains("The request body is 98 KB; at most 64 KB is accepted here.");
		try (Socket chunked = new Socket("127.0.0.1", app.port())) {
			chunked.setSoTimeout(30_000);
			write(chunked, """
					POST /contact HTTP/1.1\r
					Host: 127.0.0.1\r
					Content-Type: application/x-www-form-urlencoded\r
					Transfer-Encoding: chunked\r
					\r
					5\r
					name=\r
					""".getBytes(StandardCharsets.US_ASCII));
			assertThat(readResponse(chunked)).startsWith("HTTP/1.1 411 ");
		}
	}

	@Test
	void theOwnersFormsMayBeLonger() {
		WebSession owner = new WebSession(app.port()).signIn(EMAIL, PASSWORD);
		owner.get("/admin/articles/new");

		HttpResponse<String> preview = owner.post("/admin/preview", Map.of("markdown", "word ".repeat(40_000)));

		assertThat(preview.statusCode()).isEqualTo(200);
		assertThat(preview.body()).contains("word word");
	}

	/**
	 * Sends the head of a multipart POST that announces {@code length} bytes of body, and
	 * the first 64 KB of them.
	 */
	private static Socket startMultipartPost(String path, int length) throws IOException {
		Socket socket = new Socket("127.0.0.1", app.port());
		socket.setSoTimeout(30_000);
		String boundary = "vitrine-attack";
		write(socket, ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary="
				+ boundary + "\r\nContent-Length: " + length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		byte[] part = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] start = new byte[Math.min(64 * 1024, length)];
		System.arraycopy(part, 0, start, 0, part.length);
		write(socket, start);
		return socket;
	}

	private static void write(Socket socket, byte[] bytes) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(bytes);
		out.flush();
	}

	/** The whole response: the server closes the connection after a refusal. */
	private static String readResponse(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder response = new StringBuilder();
		byte[] buffer = new byte[8192];
		int n;
		try {
			while ((n = in.read(buffer)) > 0) {
				response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			throw new AssertionError("no end of response; got: " + response, ex);
		}
		catch (java.net.SocketException ex) {
			// a reset after the response: the unread body was dropped with the connection
			if (response.isEmpty()) {
				throw ex;
			}
		}
		return response.toString();
	}

	private static List<Path> spooledFiles() throws IOException {
		try (Stream<Path> files = Files.walk(spool)) {
			return files.filter(Files::isRegularFile).toList();
		}
	}

}
