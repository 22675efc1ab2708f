package dev.vitrine.ops;

import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The actuator's health probes on the public port of a process that serves pages, where
 * load balancers and orchestrators have always found them; the rest of the actuator
 * (metrics, info) is on the management port only. A process without pages serves
 * everything on its management port, actuator included, so it needs none of this.
 */
@RestController
@ConditionalOnRole({ Role.WEB, Role.MONITOR })
class PublicHealthProbes {

	private final HealthEndpoint health;

	PublicHealthProbes(HealthEndpoint health) {
		this.health = health;
	}

	@GetMapping("/actuator/health")
	ResponseEntity<HealthDescriptor> health() {
		return answer(this.health.health());
	}

	@GetMapping("/actuator/health/liveness")
	ResponseEntity<HealthDescriptor> liveness() {
		return answer(this.health.healthForPath("liveness"));
	}

	@GetMapping("/actuator/health/readiness")
	ResponseEntity<HealthDescriptor> readiness() {
		return answer(this.health.healthForPath("readiness"));
	}

	/** As the actuator answers: 503 when down or out of service, 200 otherwise. */
	private static ResponseEntity<HealthDescriptor> answer(HealthDescriptor descriptor) {
		Status status = descriptor.getStatus();
		boolean unavailable = Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status);
		return ResponseEntity.status(unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(descriptor);
	}

}
