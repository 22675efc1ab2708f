package dev.vitrine.rendering;

import java.util.Optional;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The browser lives only in worker processes; the web role never starts one. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.WORKER)
class RenderingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RenderingConfiguration.class);

	/**
	 * The name the README once gave {@code vitrine.rendering.chromium-path}; never read.
	 */
	static final String MISNAMED_PATH = "VITRINE_CHROMIUM_PATH";

	@Bean
	Renderer renderer(RenderingSettings settings, JsonMapper json, MeterRegistry registry, Environment environment) {
		misnamedPathWarning(environment).ifPresent(log::warn);
		return new Renderer(settings, json, registry);
	}

	/**
	 * A warning for a browser path set under the name the README gave it by mistake: it
	 * never had an effect, and saying so beats a browser silently taken from the PATH.
	 */
	static Optional<String> misnamedPathWarning(Environment environment) {
		String value = environment.getProperty(MISNAMED_PATH);
		if (value == null) {
			return Optional.empty();
		}
		return Optional.of(MISNAMED_PATH + "=" + value + " is not read: the browser's path is "
				+ RenderingSettings.CHROMIUM_PATH + ", which is "
				+ Optional.ofNullable(environment.getProperty(RenderingSettings.CHROMIUM_PATH.property()))
					.filter((path) -> !path.isBlank())
					.map((path) -> "set to " + path)
					.orElse("not set: the worker looks for chromium, then chromium-headless-shell, on its PATH"));
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
