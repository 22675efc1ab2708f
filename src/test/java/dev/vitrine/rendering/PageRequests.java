package dev.vitrine.rendering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;

/**
 * What the pages a renderer renders asked the network for, seen through DevTools' Network
 * events (which report a request even when it is refused before leaving): for each URL
 * other than {@code data:}, how it ended. {@code refused:inspector} is the renderer's own
 * block, {@code refused:csp} the page's policy; anything else (an answer, or a network
 * error such as {@code net::ERR_NAME_NOT_RESOLVED}) means it left the page.
 */
public final class PageRequests implements AutoCloseable {

	private final Renderer renderer;

	private final List<JsonNode> events = new CopyOnWriteArrayList<>();

	private PageRequests(Renderer renderer) {
		this.renderer = renderer;
	}

	/** Records from now on, until closed. */
	public static PageRequests record(Renderer renderer) {
		PageRequests requests = new PageRequests(renderer);
		renderer.traceNetwork(requests.events::add);
		return requests;
	}

	/** Each URL asked for, with how it ended ({@code pending} if it has not). */
	public Map<String, String> outcomes() {
		Map<String, String> urls = new LinkedHashMap<>();
		Map<String, String> outcomes = new LinkedHashMap<>();
		for (JsonNode event : this.events) {
			JsonNode params = event.path("params");
			String id = params.path("requestId").asString();
			switch (event.path("method").asString()) {
				case "Network.requestWillBeSent" -> {
					String url = params.path("request").path("url").asString();
					if (!url.startsWith("data:")) {
						urls.put(id, url);
						outcomes.putIfAbsent(url, "pending");
					}
				}
				case "Network.responseReceived" -> {
					if (urls.containsKey(id)) {
						outcomes.put(urls.get(id), "answered:" + params.path("response").path("status").asInt());
					}
				}
				case "Network.loadingFailed" -> {
					if (urls.containsKey(id)) {
						String reason = params.path("blockedReason").asString("");
						outcomes.put(urls.get(id), reason.isEmpty() ? "failed:" + params.path("errorText").asString()
								: "refused:" + reason);
					}
				}
				default -> {
				}
			}
		}
		return outcomes;
	}

	@Override
	public void close() {
		this.renderer.traceNetwork(null);
	}

}
