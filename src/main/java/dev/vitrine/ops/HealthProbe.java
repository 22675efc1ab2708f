package dev.vitrine.ops;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * The container health check:
 * {@code java -cp /app/vitrine.jar dev.vitrine.ops.HealthProbe} exits 0 when this
 * container's process answers its readiness page with 200, else 1.
 *
 * <p>
 * A plain class on {@code java.base} (and {@link Roles}, which needs nothing more), so it
 * runs in an image without a shell or curl (the distroless one) and starts in a fraction
 * of a second. It reads the same environment as the application to find the port: a
 * process with the web or monitor role serves {@code /health/} on {@code SERVER_PORT},
 * any other on {@code VITRINE_MANAGEMENT_PORT}; on {@code SERVER_ADDRESS} when that is
 * one address, else on loopback.
 */
public final class HealthProbe {

	private HealthProbe() {
	}

	public static void main(String[] args) {
		URI target = URI.create(args.length > 0 ? args[0] : defaultUrl(System.getenv()));
		try {
			HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
			connection.setConnectTimeout(2000);
			connection.setReadTimeout(3000);
			int status = connection.getResponseCode();
			System.out.println(target + " " + status);
			System.exit(status == 200 ? 0 : 1);
		}
		catch (IOException | IllegalArgumentException ex) {
			System.out.println(target + " " + ex);
			System.exit(1);
		}
	}

	static String defaultUrl(Map<String, String> env) {
		// the application's own parsing: probe and app agree on who serves pages
		boolean servesPages = Roles.parse(env.getOrDefault(Roles.SETTING.envVar(), Roles.DEFAULT)).servesPages();
		String port = servesPages ? env.getOrDefault("SERVER_PORT", "8080")
				: env.getOrDefault("VITRINE_MANAGEMENT_PORT", "8081");
		return "http://" + host(env.getOrDefault("SERVER_ADDRESS", "")) + ":" + port.strip() + "/health/";
	}

	/**
	 * Where the port probed listens: SERVER_ADDRESS binds both a page server's port and
	 * any other process's only port. Bound to one address (the host's network, one
	 * interface), the process does not answer on loopback; bound to all, loopback is one.
	 */
	private static String host(String address) {
		String bound = address.strip();
		if (bound.isEmpty() || bound.equals("0.0.0.0") || bound.equals("::") || bound.equals("[::]")
				|| bound.equals("0:0:0:0:0:0:0:0")) {
			return "127.0.0.1";
		}
		return (bound.contains(":") && !bound.startsWith("[")) ? "[" + bound + "]" : bound;
	}

}
