package dev.vitrine.ops;

import java.net.http.HttpResponse;

import dev.vitrine.VitrineApplication;
import dev.vitrine.support.Http;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each role combination, started in this JVM against the test PostgreSQL, opens the HTTP
 * port it should and no other, and reports its roles.
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
			int open = servesPages ? serverPort : managementPort;
			int closed = servesPages ? managementPort : serverPort;

			assertThat(Http.get(open, "/health/").statusCode()).isEqualTo(200);
			assertThat(Http.listening(closed)).as("port %d should be closed", closed).isFalse();
			if (servesPages) {
				assertThat(Http.get(open, "/favicon.ico").statusCode()).as("the icon browsers ask for").isEqualTo(200);
			}
			String info = Http.get(open, "/actuator/info").body();
			assertThat(info).contains("\"roles\":[\"" + reported.replace(",", "\",\"") + "\"]")
				.contains("\"revision\":\"" + REVISION + "\"");
			// every role reads which revisions the live workers run: a deploy's health
			// gate
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
		}
	}

	static ConfigurableApplicationContext start(String roles, int serverPort, int managementPort) {
		return new SpringApplicationBuilder(VitrineApplication.class).properties(TestPostgres.properties())
			.properties("vitrine.roles=" + roles, "vitrine.content.demo=false", "server.port=" + serverPort,
					"vitrine.management.port=" + managementPort, "vitrine.revision=" + REVISION)
			.run();
	}

}
