package dev.vitrine.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.support.AppProcess;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web process sent SIGTERM (a deploy's {@code docker stop}) with a visitor's request in
 * flight: the server stops taking connections, answers that request in full and then
 * exits, within {@code VITRINE_SHUTDOWN_GRACE}.
 */
class GracefulShutdownIT {

	private static final Duration GRACE = Duration.ofSeconds(20);

	private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Test
	void aContactPostInFlightAtSigtermIsAnsweredAndStoredWhileNewConnectionsAreRefused() throws Exception {
		String database = TestPostgres.newMigratedDatabase("graceful_shutdown");
		int port = Http.freePort();
		int managementPort = Http.freePort();
		Map<String, String> environment = AppProcess.siteEnvironment(database, "web", port);
		environment.put("VITRINE_MANAGEMENT_PORT", Integer.toString(managementPort));
		environment.put("VITRINE_SHUTDOWN_GRACE", GRACE.toSeconds() + "s");

		try (AppProcess app = AppProcess.start("graceful-shutdown", environment)) {
			app.awaitHealthy(port, Duration.ofMinutes(4));
			HttpResponse<String> form = Http.get(port, "/contact");
			String cookie = form.headers()
				.allValues("Set-Cookie")
				.stream()
				.filter((candidate) -> candidate.startsWith("XSRF-TOKEN="))
				.map((candidate) -> candidate.substring(0, candidate.indexOf(';')))
				.findFirst()
				.orElseThrow();
			Matcher token = TOKEN.matcher(form.body());
			assertThat(token.find()).as("a CSRF token in the form").isTrue();
			String body = "name=Ada&email=ada%40example.com&subject=&website=&_csrf="
					+ URLEncoder.encode(token.group(1), StandardCharsets.UTF_8) + "&message="
					+ URLEncoder.encode("Sent while the server stops", StandardCharsets.UTF_8);
			int half = body.length() / 2;

			try (Socket visitor = new Socket("127.0.0.1", port)) {
				visitor.setSoTimeout((int) GRACE.multipliedBy(3).toMillis());
				OutputStream out = visitor.getOutputStream();
				out.write(("POST /contact HTTP/1.1\r\nHost: 127.0.0.1:" + port
						+ "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
						+ "\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n" + body.substring(0, half))
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				// in the application, whose filters wait for the body's other half: a
				// request the graceful shutdown waits for
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> activePosts(managementPort) == 1);

				app.terminate();
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> !Http.listening(port));
				assertThat(app.isAlive()).as("the process, waiting for the request in flight").isTrue();

				String response;
				try {
					out.write(body.substring(half).getBytes(StandardCharsets.US_ASCII));
					out.flush();
					response = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
				}
				catch (IOException ex) {
					throw new AssertionError("the request in flight was cut: " + ex, ex);
				}
				assertThat(response).as("the answer to the request in flight")
					.startsWith("HTTP/1.1 302 ")
					.containsPattern("(?i)\r\nLocation: [^\r]*/contact\\?sent\r\n");
			}

			assertThat(app.awaitExit(GRACE.plus(Duration.ofSeconds(30)))).as("exit code").isIn(0, 143);
			assertThat(app.output()).contains("Graceful shutdown complete");
		}
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.user(), null);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT body FROM contact_message")) {
			assertThat(rows.next()).as("the message sent during the shutdown was stored").isTrue();
			assertThat(rows.getString(1)).isEqualTo("Sent while the server stops");
		}
	}

	/**
	 * POST requests the web server is handling now: the count of its active-requests
	 * timer, which the servlet filters (that read a form's body) run inside.
	 */
	private static int activePosts(int managementPort) {
		return Http.get(managementPort, "/actuator/prometheus")
			.body()
			.lines()
			.filter((line) -> line.startsWith("http_server_requests_active_seconds_gcount{")
					&& line.contains("method=\"POST\""))
			.mapToInt((line) -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
