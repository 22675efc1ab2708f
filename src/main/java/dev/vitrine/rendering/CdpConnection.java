package dev.vitrine.rendering;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One WebSocket to a browser's DevTools endpoint: commands with ids and a deadline each,
 * answers matched by id, events handed to waiters. When the socket closes every pending
 * call fails at once, so no render waits on a dead browser.
 */
class CdpConnection implements WebSocket.Listener, AutoCloseable {

	private final JsonMapper json;

	private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final List<EventWaiter> waiters = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final WebSocket socket;

	CdpConnection(URI endpoint, JsonMapper json, Duration connectTimeout) throws CdpException {
		this.json = json;
		try {
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.connectTimeout(connectTimeout)
				.buildAsync(endpoint, this)
				.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CdpException("interrupted while connecting to the browser", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new CdpException("cannot connect to the browser at " + endpoint + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Sends a command and waits for its answer until the deadline.
	 * @param sessionId the target session, or {@code null} for the browser
	 * @throws CdpException when the browser answers with an error, the deadline passes or
	 * the connection closes
	 */
	JsonNode call(String method, Map<String, ?> params, String sessionId, Instant deadline) throws CdpException {
		long id = this.ids.incrementAndGet();
		ObjectNode message = this.json.createObjectNode();
		message.put("id", id);
		message.put("method", method);
		message.set("params", this.json.valueToTree(params));
		if (sessionId != null) {
			message.put("sessionId", sessionId);
		}
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		try {
			if (this.closed.isDone()) {
				throw new CdpException("the browser connection is closed");
			}
			synchronized (this.socket) {
				this.socket.sendText(this.json.writeValueAsString(message), true).join();
			}
			JsonNode result = await(answer, deadline, method);
			if (result.has("error")) {
				throw new CdpException(method + " failed: " + result.get("error").path("message").asString());
			}
			return result.path("result");
		}
		finally {
			this.pending.remove(id);
		}
	}

	/**
	 * Waits for an event, e.g. {@code Page.loadEventFired}, in a session. Register before
	 * the command that causes it, then {@link EventWaiter#await}.
	 */
	EventWaiter expect(String method, String sessionId) {
		EventWaiter waiter = new EventWaiter(method, sessionId, new CompletableFuture<>());
		this.waiters.add(waiter);
		return waiter;
	}

	boolean isOpen() {
		return !this.closed.isDone();
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			String text = this.partial.toString();
			this.partial.setLength(0);
			dispatch(text);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		fail(new CdpException("the browser closed its connection (" + statusCode + " " + reason + ")"));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		fail(new CdpException("the browser connection failed: " + error.getMessage(), error));
	}

	@Override
	public void close() {
		fail(new CdpException("the browser connection was closed"));
		this.socket.abort();
	}

	private void dispatch(String text) {
		JsonNode message = this.json.readTree(text);
		if (message.has("id")) {
			CompletableFuture<JsonNode> answer = this.pending.get(message.get("id").asLong());
			if (answer != null) {
				answer.complete(message);
			}
			return;
		}
		String method = message.path("method").asString();
		String sessionId = message.path("sessionId").isMissingNode() ? null : message.path("sessionId").asString();
		for (EventWaiter waiter : this.waiters) {
			if (waiter.method().equals(method) && java.util.Objects.equals(waiter.sessionId(), sessionId)) {
				waiter.event().complete(message.path("params"));
				this.waiters.remove(waiter);
			}
		}
	}

	private void fail(CdpException reason) {
		if (this.closed.complete(null)) {
			this.pending.values().forEach((answer) -> answer.completeExceptionally(reason));
			this.waiters.forEach((waiter) -> waiter.event().completeExceptionally(reason));
			this.waiters.clear();
		}
	}

	private static JsonNode await(CompletableFuture<JsonNode> future, Instant deadline, String what)
			throws CdpException {
		long millis = Duration.between(Instant.now(), deadline).toMillis();
		try {
			return future.get(Math.max(1, millis), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new CdpException(what + " did not finish before the render deadline");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CdpException("interrupted while waiting for " + what, ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof CdpException cdp) ? cdp
					: new CdpException(what + " failed: " + ex.getCause().getMessage(), ex.getCause());
		}
	}

	/** A pending wait for one event. */
	record EventWaiter(String method, String sessionId, CompletableFuture<JsonNode> event) {

		JsonNode await(Instant deadline) throws CdpException {
			return CdpConnection.await(this.event, deadline, this.method);
		}

	}

}
