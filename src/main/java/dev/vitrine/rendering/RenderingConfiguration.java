package dev.vitrine.rendering;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The browser lives only in worker processes; the web role never starts one. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.WORKER)
class RenderingConfiguration {

	@Bean
	Renderer renderer(RenderingSettings settings, JsonMapper json, MeterRegistry registry) {
		return new Renderer(settings, json, registry);
	}

	/**
	 * DOWN, with the reason, when the browser cannot be found or started. Not part of
	 * readiness: the worker still runs every other job.
	 */
	@Bean
	HealthIndicator renderingHealthIndicator(Renderer renderer) {
		// the reason as the status's description: shown even where details are not
		return () -> renderer.problem()
			.map((reason) -> Health.status(new Status(Status.DOWN.getCode(), reason)).build())
			.orElseGet(() -> Health.up().build());
	}

}
