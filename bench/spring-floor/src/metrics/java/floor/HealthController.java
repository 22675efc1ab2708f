package floor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * L3m: the same answers as L3 without the actuator: Spring Boot's health contributors
 * (spring-boot-health) and Micrometer's Prometheus registry (spring-boot-micrometer-metrics),
 * read by a controller instead of the actuator's endpoints, all on the public port.
 */
@RestController
class HealthController {

	private static final List<String> READINESS = List.of("readinessState", "db");

	private final HealthContributorRegistry contributors;

	private final PrometheusMeterRegistry prometheus;

	HealthController(HealthContributorRegistry contributors, PrometheusMeterRegistry prometheus) {
		this.contributors = contributors;
		this.prometheus = prometheus;
	}

	@GetMapping({ "/health", "/health/" })
	ResponseEntity<Map<String, Object>> health() {
		Map<String, String> components = new LinkedHashMap<>();
		boolean up = true;
		for (String name : READINESS) {
			if (this.contributors.getContributor(name) instanceof HealthIndicator indicator) {
				Status status = indicator.health().getStatus();
				components.put(name, status.getCode());
				up &= Status.UP.equals(status);
			}
		}
		return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("status", up ? "UP" : "OUT_OF_SERVICE", "components", components));
	}

	@GetMapping(path = "/actuator/prometheus", produces = "text/plain;version=0.0.4;charset=utf-8")
	String prometheus() {
		return this.prometheus.scrape();
	}

}
