package dev.vitrine.ops;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.vitrine.ops.ManagementPort.ManagementConnector;

/**
 * The health probes. {@code /health/} is the path the old stack's load balancers and
 * container checks call: the readiness group (the process is up and its database
 * answers), 200 when UP, 503 otherwise. {@code /actuator/health} and its
 * {@code /liveness} and {@code /readiness} keep the actuator's paths and answers (503 for
 * DOWN and OUT_OF_SERVICE only) for orchestrators; on the management port
 * {@code /actuator/health} also gives each contributor's details (a stuck job's name, a
 * failed connection's error).
 */
@RestController
class HealthController {

	private final HealthChecks checks;

	private final ObjectProvider<ManagementConnector> management;

	HealthController(HealthChecks checks, ObjectProvider<ManagementConnector> management) {
		this.checks = checks;
		this.management = management;
	}

	/** 200 only when UP: what the old stack's balancers and checks were promised. */
	@GetMapping({ "/health", "/health/" })
	ResponseEntity<HealthReport> health() {
		HealthReport readiness = this.checks.check(HealthGroup.READINESS, false);
		return ResponseEntity.status(readiness.isUp() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(readiness);
	}

	@GetMapping("/actuator/health/readiness")
	ResponseEntity<HealthReport> readiness() {
		return answer(this.checks.check(HealthGroup.READINESS, false));
	}

	@GetMapping("/actuator/health/liveness")
	ResponseEntity<HealthReport> liveness() {
		return answer(this.checks.check(HealthGroup.LIVENESS, false));
	}

	@GetMapping("/actuator/health")
	ResponseEntity<HealthReport> all(HttpServletRequest request) {
		return answer(this.checks.check(HealthGroup.ALL, onManagementPort(request)));
	}

	/**
	 * A process without pages has only the management port
	 * (RoleEnvironmentPostProcessor).
	 */
	private boolean onManagementPort(HttpServletRequest request) {
		ManagementConnector connector = this.management.getIfAvailable();
		return connector == null || request.getLocalPort() == connector.connector().getLocalPort();
	}

	private static ResponseEntity<HealthReport> answer(HealthReport report) {
		return ResponseEntity.status(report.httpStatus()).body(report);
	}

}
