package dev.vitrine.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A visitor with cookies, as a browser without JavaScript: gets pages, and posts forms
 * with the CSRF token of the last page it got. Redirects are not followed, so tests see
 * them.
 */
public final class WebSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final String base;

	private final HttpClient client;

	private String csrf;

	public WebSession(int port) {
		this(port, null);
	}

	private WebSession(String base, HttpClient client, String csrf) {
		this.base = base;
		this.client = client;
		this.csrf = csrf;
	}

	/**
	 * The same browser at another port (another replica behind one address): its cookies,
	 * and the form token of the last page it got.
	 */
	public WebSession atPort(int port) {
		return new WebSession("http://127.0.0.1:" + port, this.client, this.csrf);
	}

	/**
	 * A visitor connecting from {@code from}, e.g. {@code 127.0.0.2}: every 127.x.y.z
	 * address is this machine, so tests can be several clients.
	 */
	public WebSession(int port, InetAddress from) {
		this.base = "http://127.0.0.1:" + port;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.connectTimeout(Duration.ofSeconds(2))
			.followRedirects(HttpClient.Redirect.NEVER);
		if (from != null) {
			builder.localAddress(from);
		}
		this.client = builder.build();
	}

	/** The loopback address {@code 127.0.0.N}, to pass as a visitor's address. */
	public static InetAddress loopback(int n) {
		return InetAddress.ofLiteral("127.0.0." + n);
	}

	public HttpResponse<String> get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		HttpResponse<String> response = send(request.build());
		Matcher token = CSRF.matcher(response.body());
		if (token.find()) {
			this.csrf = token.group(1);
		}
		return response;
	}

	/**
	 * Posts the fields, plus the CSRF token of the last page got unless one is given,
	 * with extra headers as name, value pairs.
	 */
	public HttpResponse<String> post(String path, Map<String, String> fields, String... headers) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		if (this.csrf != null) {
			all.putIfAbsent("_csrf", this.csrf);
		}
		String body = all.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.build());
	}

	/**
	 * Uploads a file as a browser's file input would, with the CSRF token as a form
	 * field.
	 */
	public HttpResponse<String> upload(String path, String field, String fileName, String contentType, byte[] bytes) {
		return upload(path, field, fileName, contentType, bytes, true);
	}

	/**
	 * A multipart upload with the form's CSRF token.
	 * @param withLength false to send the body chunked, without a Content-Length
	 */
	public HttpResponse<String> upload(String path, String field, String fileName, String contentType, byte[] bytes,
			boolean withLength) {
		String boundary = "----vitrine" + System.nanoTime();
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + this.csrf
				+ "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
				+ fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n";
		body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(bytes);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		byte[] content = body.toByteArray();
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Accept", "text/html")
			.POST(withLength ? HttpRequest.BodyPublishers.ofByteArray(content)
					: HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)))
			.build());
	}

	/** Gets raw bytes, e.g. an image. */
	public HttpResponse<byte[]> getBytes(String path) {
		try {
			return this.client.send(HttpRequest.newBuilder(URI.create(this.base + path)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Signs in through the login form. */
	public WebSession signIn(String email, String password) {
		get("/login");
		HttpResponse<String> response = post("/login", Map.of("username", email, "password", password));
		if (response.statusCode() != 302 || response.headers().firstValue("Location").orElse("").contains("error")) {
			throw new IllegalStateException("sign-in failed: " + response.statusCode() + " " + response.headers());
		}
		return this;
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
