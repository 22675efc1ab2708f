package dev.vitrine.rendering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A started Chromium and its DevTools connection, cut off from the network: before any
 * page exists, the browser-wide {@code Fetch} domain pauses every request of every target
 * (pages, frames, workers, the browser's own), and each is failed unless it is a
 * {@code data:} URL, which never leaves the process. A rendered page therefore loads only
 * what is inside it, whatever its HTML names.
 */
final class Browser implements AutoCloseable {

	private final ChromiumProcess process;

	private final CdpConnection connection;

	private Browser(ChromiumProcess process, CdpConnection connection) {
		this.process = process;
		this.connection = connection;
	}

	/**
	 * Connects to a launched browser and blocks its network.
	 * @param blocked told the URL of each request refused
	 * @throws CdpException when the browser does not answer within {@code timeout} (it is
	 * then killed)
	 */
	static Browser connect(ChromiumProcess process, JsonMapper json, Duration timeout, Consumer<String> blocked)
			throws CdpException {
		CdpConnection connection = new CdpConnection(process.fromBrowser(), process.toBrowser(), json,
				"chromium-" + process.pid());
		Instant deadline = Instant.now().plus(timeout);
		try {
			connection.call("Browser.getVersion", Map.of(), null, deadline);
			connection.listen("Fetch.requestPaused", null,
					(event) -> decide(connection, event.path("params"), blocked));
			connection.call("Fetch.enable", Map.of("patterns", List.of(Map.of("urlPattern", "*"))), null, deadline);
			return new Browser(process, connection);
		}
		catch (CdpException ex) {
			boolean exited = !process.isAlive();
			connection.close();
			process.close();
			// its own output is logged at DEBUG (dev.vitrine.rendering)
			throw new CdpException(
					(exited ? "the browser exited as it started: "
							: "the browser did not get ready within " + timeout.toSeconds() + " s: ") + ex.getMessage(),
					ex);
		}
	}

	private static void decide(CdpConnection connection, JsonNode request, Consumer<String> blocked) {
		String id = request.path("requestId").asString();
		String url = request.path("request").path("url").asString();
		if (url.startsWith("data:")) {
			connection.send("Fetch.continueRequest", Map.of("requestId", id), null);
			return;
		}
		connection.send("Fetch.failRequest", Map.of("requestId", id, "errorReason", "BlockedByClient"), null);
		blocked.accept(url);
	}

	ChromiumProcess process() {
		return this.process;
	}

	CdpConnection connection() {
		return this.connection;
	}

	boolean isUsable() {
		return this.process.isAlive() && this.connection.isOpen();
	}

	@Override
	public void close() {
		this.connection.close();
		this.process.close();
	}

}
