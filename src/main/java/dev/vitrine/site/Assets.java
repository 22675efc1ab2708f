package dev.vitrine.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.vitrine.ops.Sha256;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaTypeFactory;

/**
 * The CSS, JS and images of the site and the admin under content-hashed URLs
 * ({@code /assets/css/site.3f2a9c1b.css}), so browsers may cache them forever: a changed
 * file gets a new URL. Each file's brotli and gzip copies, made at build time, are served
 * to clients that accept them.
 */
public final class Assets {

	static final String PREFIX = "/assets/";

	private static final String ROOT = "assets/";

	/** Read once from the classpath, which does not change while the app runs. */
	private static final Assets INDEX = new Assets();

	private final Map<String, String> urls = new HashMap<>();

	private final Map<String, Asset> byUrl = new HashMap<>();

	private Assets() {
		try {
			PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
			Map<String, byte[]> files = new HashMap<>();
			for (Resource resource : resolver.getResources("classpath*:" + ROOT + "**/*.*")) {
				String url = resource.getURL().toString();
				String name = url.substring(url.lastIndexOf(ROOT) + ROOT.length());
				try (InputStream in = resource.getInputStream()) {
					files.put(name, in.readAllBytes());
				}
			}
			files.forEach((name, bytes) -> {
				if (name.endsWith(".br") || name.endsWith(".gz")) {
					return;
				}
				String hashed = PREFIX + hashedName(name, bytes);
				this.urls.put(name, hashed);
				String type = MediaTypeFactory.getMediaType(name)
					.map(Object::toString)
					.orElse("application/octet-stream");
				if (type.startsWith("text/") || type.contains("javascript") || type.contains("svg")) {
					type += ";charset=UTF-8";
				}
				this.byUrl.put(hashed, new Asset(bytes, files.get(name + ".br"), files.get(name + ".gz"), type));
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the site's assets", ex);
		}
	}

	/**
	 * The hashed URL of an asset, e.g. {@code css/site.css}.
	 * @throws IllegalArgumentException for an unknown asset, so a typo fails the page
	 * loudly
	 */
	public static String url(String name) {
		String url = INDEX.urls.get(name);
		if (url == null) {
			throw new IllegalArgumentException("no asset " + name + " under src/main/resources/" + ROOT);
		}
		return url;
	}

	static Optional<Asset> find(String url) {
		return Optional.ofNullable(INDEX.byUrl.get(url));
	}

	private static String hashedName(String name, byte[] bytes) {
		int dot = name.lastIndexOf('.');
		return name.substring(0, dot) + "." + Sha256.hex(bytes).substring(0, 10) + name.substring(dot);
	}

	/**
	 * @param brotli the brotli copy, or {@code null}; {@code gzip} likewise
	 */
	record Asset(byte[] bytes, byte[] brotli, byte[] gzip, String contentType) {
	}

}
