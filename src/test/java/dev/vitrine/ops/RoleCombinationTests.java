package dev.vitrine.ops;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.support.Http;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each role combination, started in this JVM against the test PostgreSQL, opens the HTTP
 * ports it should and no other, and reports its roles. Metrics and info are on the
 * management port in every role: the public port of a process that serves pages answers
 * them, like the actuator's environment and heap dump everywhere, with 404.
 */
class RoleCombinationTests {

	private static final String REVISION = "test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	@ParameterizedTest(name = "VITRINE_ROLES={0}")
	@CsvSource(delimiter = '|', textBlock = """
			web              | true  | web
			worker           | false | worker
			scheduler        | false | scheduler
			worker,scheduler | false | worker,scheduler
			monitor          | true  | monitor
			all              | true  | web,worker,scheduler,monitor
			""")
	void roleCombinationServesOnTheRightPort(String roles, boolean servesPages, String reported) {
		int serverPort = Http.freePort();
		int managementPort = Http.freePort();
		try (ConfigurableApplicationContext app = start(roles, serverPort, managementPort)) {
			int health = servesPages ? serverPort : managementPort;
			// a web process is ready once its background check has found the schema,
			// which
			// may be after run()
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(Http.get(health, "/health/").statusCode()).isEqualTo(200));
			assertThat(Http.get(health, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(Http.get(health, "/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(Http.get(health, "/actuator/health").body()).contains("\"status\":\"UP\"");
			if (servesPages) {
				for (String path : List.of("/actuator/prometheus", "/actuator/info", "/actuator/env",
						"/actuator/heapdump", "/actuator", "/health/deploy")) {
					assertThat(Http.get(serverPort, path).statusCode()).as("public port: GET %s", path).isEqualTo(404);
				}
				// the actuator's own paths, spelled so that a split on the raw URI would
				// miss them: refused, and never with metrics in the answer
				for (String path : List.of("/actuator/health/db", "/actuator/health/readiness/../../prometheus",
						"/actuator;v=1/prometheus", "//actuator/prometheus", "/%61ctuator/prometheus",
						"/articles/../actuator/prometheus", "/actuator/health/..;/prometheus", "/actuator/./info")) {
					HttpResponse<String> refused = Http.get(serverPort, path);
					assertThat(refused.statusCode()).as("public port: GET %s", path).isBetween(400, 499);
					assertThat(refused.body()).as("public port: GET %s", path)
						.doesNotContain("jvm_memory")
						.doesNotContain(REVISION);
				}
				// details (paths, versions, a stuck job) only where the public cannot ask
				assertThat(Http.get(serverPort, "/actuator/health").body()).contains("\"db\":{\"status\":\"UP\"}")
					.doesNotContain("details");
				assertThat(Http.get(managementPort, "/actuator/health").body()).contains("\"database\":\"PostgreSQL\"");
				// and the management port answers the actuator only
				for (String path : List.of("/", "/health/", "/login", "/contact", "/admin/articles", "/favicon.ico",
						"/monitor")) {
					assertThat(Http.get(managementPort, path).statusCode()).as("management port: GET %s", path)
						.isEqualTo(404);
				}
			}
			else {
				assertThat(Http.listening(serverPort)).as("port %d should be closed", serverPort).isFalse();
			}
			for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/env/PATH")) {
				assertThat(Http.get(managementPort, path).statusCode()).as("management port: GET %s", path)
					.isEqualTo(404);
			}

			if (servesPages) {
				assertThat(Http.get(serverPort, "/favicon.ico").statusCode()).as("the icon browsers ask for")
					.isEqualTo(200);
			}
			int open = managementPort;
			String info = Http.get(open, "/actuator/info").body();
			assertThat(info).contains("\"roles\":[\"" + reported.replace(",", "\",\"") + "\"]")
				.contains("\"revision\":\"" + REVISION + "\"");
			// every role reads which revisions the live workers run (a deploy's gate)
			assertThat(info).as("live workers of this revision")
				.contains(reported.contains("worker") ? "\"" + REVISION + "\":1" : "\"liveWorkers\":{");
			assertThat(Http.get(open, "/actuator/prometheus").body()).contains("application=\"vitrine\"")
				.contains("roles=\"" + reported + "\"")
				.contains("jvm_memory_used_bytes{")
				.contains("hikaricp_connections_active{")
				.contains("http_server_requests_seconds_count{");
			// what Prometheus itself asks for
			HttpResponse<String> openMetrics = Http.get(open, "/actuator/prometheus", "Accept",
					"application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
			assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/openmetrics-text;version=1.0.0"));
			assertThat(openMetrics.body()).contains("jvm_memory_used_bytes{").endsWith("# EOF\n");
			assertThat(app.containsBean("jobWorker")).as("runs a job worker").isEqualTo(reported.contains("worker"));
			if (reported.contains("worker")) {
				// at zero before the first job, so increase() sees the first failure
				assertThat(Http.get(open, "/actuator/prometheus").body())
					.containsPattern("vitrine_jobs_failed_total\\{[^}]*type=\"content.thumbnail\"[^}]*} 0.0");
			}
		}
	}

	@ParameterizedTest(name = "VITRINE_ROLES={0}")
	@CsvSource({ "monitor, 127.0.0.1", "'web,monitor', ", "all, " })
	void monitorAloneListensOnLoopbackOnly(String roles, String expectedAddress) {
		try (ConfigurableApplicationContext app = start(roles, 0, 0)) {
			assertThat(app.getEnvironment().getProperty("server.address")).isEqualTo(expectedAddress);
			assertThat(app.getEnvironment().getProperty(RoleEnvironmentPostProcessor.MANAGEMENT_ADDRESS.property()))
				.isEqualTo(expectedAddress);
			// and so it is: from another of this machine's addresses, both ports are
			// closed to a monitor alone and open otherwise
			int management = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
			int server = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			assertThat(Http.listening(management)).as("management port on loopback").isTrue();
			InetAddress other = nonLoopbackAddress();
			assumeTrue(other != null, "this machine has an address other than loopback");
			boolean everywhere = expectedAddress == null;
			assertThat(accepts(other, management)).as("management port on %s", other).isEqualTo(everywhere);
			assertThat(accepts(other, server)).as("public port on %s", other).isEqualTo(everywhere);
		}
	}

	private static InetAddress nonLoopbackAddress() {
		try {
			return NetworkInterface.networkInterfaces()
				.flatMap(NetworkInterface::inetAddresses)
				.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
				.findFirst()
				.orElse(null);
		}
		catch (SocketException ex) {
			return null;
		}
	}

	private static boolean accepts(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@ParameterizedTest(name = "VITRINE_ROLES={0}")
	@CsvSource({ "web", "monitor" })
	void aManagementPortThatIsThePublicPortIsRefused(String roles) {
		int port = Http.freePort();
		assertThatThrownBy(() -> start(roles, port, port).close()).isInstanceOf(InvalidSettingException.class)
			.hasMessageContaining("VITRINE_MANAGEMENT_PORT")
			.hasMessageContaining("is SERVER_PORT too, which would serve metrics and /actuator/info publicly");
		assertThat(Http.listening(port)).isFalse();
	}

	@ParameterizedTest(name = "VITRINE_ROLES={0}")
	@CsvSource({ "web", "monitor" })
	void springBootsManagementAddressIsRefusedNamingVitrines(String roles) {
		assertThatThrownBy(
				() -> new SpringApplicationBuilder(VitrineApplication.class).properties(TestPostgres.properties())
					.properties("vitrine.roles=" + roles, "server.port=0", "vitrine.management.port=0",
							"management.server.address=127.0.0.1")
					.run()
					.close())
			.isInstanceOf(InvalidSettingException.class)
			.hasMessageContaining("MANAGEMENT_SERVER_ADDRESS")
			.hasMessageContaining("VITRINE_MANAGEMENT_ADDRESS");
	}

	static ConfigurableApplicationContext start(String roles, int serverPort, int managementPort) {
		return new SpringApplicationBuilder(VitrineApplication.class).properties(TestPostgres.properties())
			.properties("vitrine.roles=" + roles, "vitrine.content.demo=false", "server.port=" + serverPort,
					"vitrine.management.port=" + managementPort, "vitrine.revision=" + REVISION)
			.run();
	}

}
