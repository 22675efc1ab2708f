package dev.vitrine.ops;

import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /health/}, the path the old stack's load balancers and container checks call:
 * the readiness group (the process is up and its database answers), 200 when UP, 503
 * otherwise.
 */
@RestController
class HealthController {

	private final HealthEndpoint health;

	HealthController(HealthEndpoint health) {
		this.health = health;
	}

	@GetMapping({ "/health", "/health/" })
	ResponseEntity<HealthDescriptor> health() {
		HealthDescriptor readiness = this.health.healthForPath("readiness");
		HttpStatus status = Status.UP.equals(readiness.getStatus()) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
		return ResponseEntity.status(status).body(readiness);
	}

}
