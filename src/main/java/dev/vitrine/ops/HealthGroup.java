package dev.vitrine.ops;

import java.util.Set;

/**
 * Which of Spring Boot's health contributors a probe asks. Contributors a process does
 * not have are left out: {@code jobWorker} and {@code scheduler} exist only with those
 * roles, {@code schema} only where the process does not migrate ({@link Migrations}).
 */
enum HealthGroup {

	/**
	 * {@code /actuator/health}: every contributor, for a person looking for the cause.
	 */
	ALL(Set.of()),

	/**
	 * {@code /health/} and {@code /actuator/health/readiness}: the process can do its
	 * work; what load balancers and deploy gates wait for.
	 */
	READINESS(Set.of("readinessState", "db", "schema", "jobWorker", "scheduler")),

	/** {@code /actuator/health/liveness}: the process is not broken beyond repair. */
	LIVENESS(Set.of("livenessState"));

	private final Set<String> members;

	HealthGroup(Set<String> members) {
		this.members = members;
	}

	boolean includes(String contributor) {
		return this == ALL || this.members.contains(contributor);
	}

}
