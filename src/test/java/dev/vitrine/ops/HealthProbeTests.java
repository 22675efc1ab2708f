package dev.vitrine.ops;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container health check asks the port this container's roles serve and reports
 * failure by its exit code, which is all a HEALTHCHECK reads.
 */
class HealthProbeTests {

	@Test
	void aWebOrMonitorProcessIsProbedOnItsServerPort() {
		assertThat(HealthProbe.defaultUrl(Map.of())).isEqualTo("http://127.0.0.1:8080/health/");
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", "web", "SERVER_PORT", "9000")))
			.isEqualTo("http://127.0.0.1:9000/health/");
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", " Monitor ")))
			.isEqualTo("http://127.0.0.1:8080/health/");
	}

	@Test
	void aWorkerOrSchedulerIsProbedOnItsManagementPort() {
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", "worker,scheduler", "SERVER_PORT", "9000")))
			.isEqualTo("http://127.0.0.1:8081/health/");
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", "scheduler", "VITRINE_MANAGEMENT_PORT", "9091")))
			.isEqualTo("http://127.0.0.1:9091/health/");
	}

	@Test
	void aProcessBoundToOneAddressIsProbedThereAndOneBoundToAllOnLoopback() {
		// deploy-host.sh on the host's network binds web to VITRINE_BIND, one interface
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", "web", "SERVER_ADDRESS", "10.1.2.3")))
			.isEqualTo("http://10.1.2.3:8080/health/");
		assertThat(HealthProbe.defaultUrl(Map.of("VITRINE_ROLES", "worker", "SERVER_ADDRESS", " 192.168.1.5 ")))
			.isEqualTo("http://192.168.1.5:8081/health/");
		assertThat(HealthProbe.defaultUrl(Map.of("SERVER_ADDRESS", "::1"))).isEqualTo("http://[::1]:8080/health/");
		for (String all : new String[] { "0.0.0.0", "::", "[::]", "" }) {
			assertThat(HealthProbe.defaultUrl(Map.of("SERVER_ADDRESS", all))).as(all)
				.isEqualTo("http://127.0.0.1:8080/health/");
		}
	}

	@Test
	void aProbeOfAProcessBoundToOneAddressReachesIt() throws Exception {
		// 127.0.0.2 is loopback too, but not where a probe of 127.0.0.1 would connect
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
		server.createContext("/health/", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		try {
			String port = Integer.toString(server.getAddress().getPort());
			assertThat(probe(HealthProbe.defaultUrl(Map.of("SERVER_ADDRESS", "127.0.0.2", "SERVER_PORT", port))))
				.isZero();
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void exitsZeroOnlyWhenTheReadinessPageAnswers200() throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/ready/", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.createContext("/starting/", (exchange) -> {
			exchange.sendResponseHeaders(503, -1);
			exchange.close();
		});
		server.start();
		try {
			String base = "http://127.0.0.1:" + server.getAddress().getPort();
			assertThat(probe(base + "/ready/")).isZero();
			assertThat(probe(base + "/starting/")).isEqualTo(1);
			server.stop(0);
			assertThat(probe(base + "/ready/")).as("nothing listening").isEqualTo(1);
		}
		finally {
			server.stop(0);
		}
	}

	private static int probe(String url) throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				HealthProbe.class.getName(), url)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return process.exitValue();
	}

}
