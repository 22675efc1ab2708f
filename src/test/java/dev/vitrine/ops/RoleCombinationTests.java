package dev.vitrine.ops;

import java.net.http.HttpResponse;
import java.util.List;

import dev.vitrine.VitrineApplication;
import dev.vitrine.support.Http;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
			assertThat(Http.get(health, "/health/").statusCode()).isEqualTo(200);
			assertThat(Http.get(health, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(Http.get(health, "/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(Http.get(health, "/actuator/health").body()).contains("\"status\":\"UP\"");
			if (servesPages) {
				for (String path : List.of("/actuator/prometheus", "/actuator/info", "/actuator/env",
						"/actuator/heapdump", "/actuator", "/health/deploy")) {
					assertThat(Http.get(serverPort, path).statusCode()).as("public port: GET %s", path).isEqualTo(404);
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
			assertThat(app.getEnvironment().getProperty("management.server.address")).isEqualTo(expectedAddress);
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

	static ConfigurableApplicationContext start(String roles, int serverPort, int managementPort) {
		return new SpringApplicationBuilder(VitrineApplication.class).properties(TestPostgres.properties())
			.properties("vitrine.roles=" + roles, "vitrine.content.demo=false", "server.port=" + serverPort,
					"vitrine.management.port=" + managementPort, "vitrine.revision=" + REVISION)
			.run();
	}

}
