package floor;

import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * L3 and up: {@code /health/} is the actuator's readiness group on the public port, as
 * Vitrine's (ops.HealthController); from L4 the group includes db, a round trip to
 * PostgreSQL on every call.
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
