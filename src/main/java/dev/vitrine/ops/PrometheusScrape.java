package dev.vitrine.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator/prometheus} on the management port: every meter, in OpenMetrics when
 * the scraper asks for it (Prometheus does), else in Prometheus's text format. The
 * actuator's path and formats, without the actuator (see {@link HealthChecks} for why).
 */
@RestController
class PrometheusScrape {

	private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

	private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

	private final PrometheusMeterRegistry registry;

	PrometheusScrape(PrometheusMeterRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/actuator/prometheus")
	ResponseEntity<String> scrape(@RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
		String format = (accept != null && accept.contains("application/openmetrics-text")) ? OPENMETRICS : TEXT;
		return ResponseEntity.ok().contentType(MediaType.parseMediaType(format)).body(this.registry.scrape(format));
	}

}
