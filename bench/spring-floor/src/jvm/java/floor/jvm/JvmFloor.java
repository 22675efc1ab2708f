package floor.jvm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * L0, the JVM floor: the JDK's own HTTP server answering {@code /health/} and {@code /},
 * so that it is timed and measured exactly as the Spring layers are.
 */
public final class JvmFloor {

	private JvmFloor() {
	}

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "8080"));
		HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
		server.createContext("/", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			boolean known = path.equals("/") || path.equals("/health") || path.equals("/health/");
			byte[] body = (known ? "UP\n" : "not found\n").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(known ? 200 : 404, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
	}

}
