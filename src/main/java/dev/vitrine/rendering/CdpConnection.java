package dev.vitrine.rendering;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The DevTools protocol over the browser's pipe ({@code --remote-debugging-pipe}: JSON
 * messages ending in a NUL byte), so no port is open that another local user could
 * connect to. Commands carry ids and a deadline each, answers are matched by id, events
 * go to waiters and listeners. Writes run on their own thread, so a browser that stops
 * reading cannot hold a render past its deadline. When the pipe closes every pending call
 * fails at once, so no render waits on a dead browser.
 */
class CdpConnection implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(CdpConnection.class);

	private final JsonMapper json;

	private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final List<EventWaiter> waiters = new CopyOnWriteArrayList<>();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final InputStream fromBrowser;

	private final OutputStream toBrowser;

	private final ExecutorService writer;

	CdpConnection(InputStream fromBrowser, OutputStream toBrowser, JsonMapper json, String name) {
		this.json = json;
		this.fromBrowser = fromBrowser;
		this.toBrowser = toBrowser;
		this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name + "-out").factory());
		Thread.ofPlatform().daemon().name(name + "-in").start(this::read);
	}

	/**
	 * Sends a command and waits for its answer until the deadline.
	 * @param sessionId the target session, or {@code null} for the browser
	 * @throws CdpException when the browser answers with an error, the deadline passes or
	 * the connection closes
	 */
	JsonNode call(String method, Map<String, ?> params, String sessionId, Instant deadline) throws CdpException {
		CompletableFuture<JsonNode> answer = send(method, params, sessionId);
		JsonNode result;
		try {
			result = await(answer, deadline, method);
		}
		finally {
			// an answer that came too late is dropped
			answer.cancel(false);
		}
		if (result.has("error")) {
			throw new CdpException(method + " failed: " + result.get("error").path("message").asString());
		}
		return result.path("result");
	}

	/**
	 * Sends a command without waiting: for answers to events, from the thread that reads
	 * the pipe, which must never block. The answer (or the error) completes the future.
	 */
	CompletableFuture<JsonNode> send(String method, Map<String, ?> params, String sessionId) {
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
		answer.whenComplete((result, error) -> this.pending.remove(id));
		if (this.closed.isDone()) {
			answer.completeExceptionally(new CdpException("the browser connection is closed"));
			return answer;
		}
		byte[] bytes = this.json.writeValueAsBytes(message);
		try {
			this.writer.execute(() -> write(bytes, answer));
		}
		catch (RejectedExecutionException ex) {
			answer.completeExceptionally(new CdpException("the browser connection is closed"));
		}
		return answer;
	}

	/**
	 * Waits for an event, e.g. {@code Page.loadEventFired}, in a session. Register before
	 * the command that causes it, then {@link EventWaiter#await}, and {@link #forget} it
	 * in any case.
	 */
	EventWaiter expect(String method, String sessionId) {
		EventWaiter waiter = new EventWaiter(method, sessionId, new CompletableFuture<>());
		this.waiters.add(waiter);
		if (this.closed.isDone()) {
			waiter.event().completeExceptionally(new CdpException("the browser connection is closed"));
		}
		return waiter;
	}

	/** Drops a waiter whose event is no longer wanted (done with, or never coming). */
	void forget(EventWaiter waiter) {
		this.waiters.remove(waiter);
	}

	/**
	 * Calls {@code handler} with every event (method and params) whose method starts with
	 * {@code methodPrefix}, in the session (or the browser, for {@code null}), until the
	 * returned handle is closed. The handler runs on the reading thread: it must not
	 * block (answer with {@link #send}).
	 */
	AutoCloseable listen(String methodPrefix, String sessionId, Consumer<JsonNode> handler) {
		Listener listener = new Listener(methodPrefix, sessionId, handler);
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	boolean isOpen() {
		return !this.closed.isDone();
	}

	/** For tests: the waiters still registered. */
	int waiting() {
		return this.waiters.size();
	}

	@Override
	public void close() {
		fail(new CdpException("the browser connection was closed"));
		this.writer.shutdownNow();
		try {
			this.toBrowser.close();
		}
		catch (IOException ex) {
			// the browser is going anyway
		}
	}

	private void write(byte[] message, CompletableFuture<JsonNode> answer) {
		try {
			this.toBrowser.write(message);
			this.toBrowser.write(0);
			this.toBrowser.flush();
		}
		catch (IOException ex) {
			CdpException reason = new CdpException("the browser connection failed: " + ex.getMessage(), ex);
			answer.completeExceptionally(reason);
			fail(reason);
		}
	}

	private void read() {
		ByteArrayOutputStream message = new ByteArrayOutputStream(8192);
		byte[] buffer = new byte[65536];
		try {
			int count;
			while ((count = this.fromBrowser.read(buffer)) >= 0) {
				int start = 0;
				for (int i = 0; i < count; i++) {
					if (buffer[i] == 0) {
						message.write(buffer, start, i - start);
						dispatch(message.toByteArray());
						message.reset();
						start = i + 1;
					}
				}
				message.write(buffer, start, count - start);
			}
			fail(new CdpException("the browser closed its connection"));
		}
		catch (IOException | RuntimeException ex) {
			fail(new CdpException("the browser connection failed: " + ex.getMessage(), ex));
		}
	}

	private void dispatch(byte[] text) {
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
		JsonNode params = message.path("params");
		for (EventWaiter waiter : this.waiters) {
			if (waiter.method().equals(method) && Objects.equals(waiter.sessionId(), sessionId)) {
				waiter.event().complete(params);
				this.waiters.remove(waiter);
			}
		}
		for (Listener listener : this.listeners) {
			if (method.startsWith(listener.methodPrefix()) && Objects.equals(listener.sessionId(), sessionId)) {
				try {
					listener.handler().accept(message);
				}
				catch (RuntimeException ex) {
					log.warn("Rendering: a handler of {} failed", method, ex);
				}
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

	private record Listener(String methodPrefix, String sessionId, Consumer<JsonNode> handler) {
	}

}
