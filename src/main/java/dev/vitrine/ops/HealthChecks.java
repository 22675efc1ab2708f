package dev.vitrine.ops;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.stereotype.Component;

/**
 * Spring Boot's health contributors (the database, availability, the schema, the job
 * worker, the scheduler, rendering) read in {@link HealthGroup}s. This is what the
 * actuator's health endpoint did for Vitrine; the actuator itself is left out because its
 * endpoint machinery, for the three endpoints Vitrine serves, was 0.08-0.12 of a web
 * start in the image and 0.17 of the start-up CPU of a minimal application
 * (BENCHMARKS.md, "Health and metrics without the actuator").
 */
@Component
class HealthChecks {

	private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

	/** The worst status wins, as Spring Boot's default aggregator orders them. */
	private static final List<Status> WORST_FIRST = List.of(Status.DOWN, Status.OUT_OF_SERVICE, Status.UP,
			Status.UNKNOWN);

	private final HealthContributorRegistry registry;

	HealthChecks(HealthContributorRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Asks every contributor of the group now.
	 * @param details whether the answer carries the contributors' details: only where the
	 * public cannot ask (the management port)
	 */
	HealthReport check(HealthGroup group, boolean details) {
		Map<String, HealthReport> components = new TreeMap<>();
		this.registry.stream()
			.filter((entry) -> group.includes(entry.name()))
			.forEach((entry) -> components.put(entry.name(), check(entry.name(), entry.contributor(), details)));
		return new HealthReport(worst(components), Map.of(), components);
	}

	private HealthReport check(String name, HealthContributor contributor, boolean details) {
		return switch (contributor) {
			case HealthIndicator indicator -> {
				Health health = health(name, indicator);
				yield new HealthReport(health.getStatus(), details ? health.getDetails() : Map.of(), Map.of());
			}
			case CompositeHealthContributor composite -> {
				Map<String, HealthReport> members = new TreeMap<>();
				for (HealthContributors.Entry entry : composite) {
					members.put(entry.name(), check(name + "/" + entry.name(), entry.contributor(), details));
				}
				yield new HealthReport(worst(members), Map.of(), members);
			}
			// reactive contributors: none in a servlet application
			default -> new HealthReport(Status.UNKNOWN, Map.of(), Map.of());
		};
	}

	/** An indicator that throws is DOWN, not a 500 from the probe. */
	private static Health health(String name, HealthIndicator indicator) {
		try {
			return indicator.health();
		}
		catch (RuntimeException ex) {
			log.warn("Health contributor '{}' failed: {}", name, ex.toString());
			return Health.down(ex).build();
		}
	}

	private static Status worst(Map<String, HealthReport> components) {
		return components.values()
			.stream()
			.map(HealthReport::status)
			.min(Comparator.comparingInt(HealthChecks::rank))
			.orElse(Status.UNKNOWN);
	}

	private static int rank(Status status) {
		int rank = WORST_FIRST.indexOf(status);
		return (rank >= 0) ? rank : WORST_FIRST.size();
	}

}
