package dev.vitrine.rendering;

import java.time.Duration;
import java.util.Optional;

import dev.vitrine.VitrineApplication;
import dev.vitrine.ops.TestPostgres;
import dev.vitrine.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker without a browser stays ready for other jobs and says why it cannot render; a
 * browser closed for being idle is no problem at all.
 */
class RenderingHealthTests {

	@Test
	void aBrowserClosedForBeingIdleLeavesRenderingUpAndTheWorkerReady() {
		int port = Http.freePort();
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("rendering_idle"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker", "vitrine.content.demo=false",
					"vitrine.management.port=" + port, "vitrine.rendering.idle-timeout=1s")
			.run()) {
			Renderer renderer = app.getBean(Renderer.class);
			renderer.png("<p>x</p>", 50, 50);
			long pid = renderer.browserPid().orElseThrow();

			await().atMost(Duration.ofSeconds(30)).until(() -> renderer.browserPid().isEmpty());

			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
			assertThat(Http.json(port, "/actuator/health").at("/components/rendering/status").asString())
				.isEqualTo("UP");
			assertThat(Http.get(port, "/health/").statusCode()).as("readiness").isEqualTo(200);
		}
	}

	@Test
	void withoutABrowserRenderingIsDownWithTheReasonAndTheWorkerStaysReady() {
		int port = Http.freePort();
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VitrineApplication.class)
			.properties("vitrine.db.url=" + TestPostgres.newDatabase("rendering_health"),
					"vitrine.db.user=" + TestPostgres.user(), "vitrine.roles=worker", "vitrine.content.demo=false",
					"vitrine.management.port=" + port, "vitrine.rendering.chromium-path=/nonexistent/chromium")
			.run()) {
			JsonNode rendering = Http.json(port, "/actuator/health").at("/components/rendering");
			assertThat(rendering.at("/status").asString()).isEqualTo("DOWN");
			assertThat(rendering.at("/description").asString())
				.isEqualTo("VITRINE_RENDERING_CHROMIUM_PATH=/nonexistent/chromium is not an executable file");
			assertThat(Http.get(port, "/health/").statusCode()).as("readiness").isEqualTo(200);
		}
	}

}
