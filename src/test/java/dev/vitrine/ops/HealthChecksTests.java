package dev.vitrine.ops;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the probes judge Spring Boot's contributors: the rules the actuator applied, which
 * balancers and deploy gates rely on. The contributors' own checks are tested where they
 * live (ReadinessTests, JobsTests, SchemaWaitIT, RenderingHealthTests).
 */
class HealthChecksTests {

	private final DefaultHealthContributorRegistry registry = new DefaultHealthContributorRegistry();

	private final HealthChecks checks = new HealthChecks(this.registry);

	@Test
	void aContributorThatThrowsIsDownAndSoIsItsGroupNotAnError() {
		this.registry.registerContributor("db", (HealthIndicator) () -> {
			throw new IllegalStateException("connection refused");
		});
		this.registry.registerContributor("readinessState", (HealthIndicator) () -> Health.up().build());

		HealthReport readiness = this.checks.check(HealthGroup.READINESS, false);

		assertThat(readiness.status()).isEqualTo(Status.DOWN);
		assertThat(readiness.httpStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(readiness.components().get("db").status()).isEqualTo(Status.DOWN);
		assertThat(readiness.components().get("readinessState").status()).isEqualTo(Status.UP);
	}

	@Test
	void theWorstStatusWinsAndOnlyDownAndOutOfServiceAnswer503() {
		this.registry.registerContributor("readinessState", (HealthIndicator) () -> Health.up().build());
		this.registry.registerContributor("schema", (HealthIndicator) () -> Health.outOfService().build());
		assertThat(this.checks.check(HealthGroup.READINESS, false).status()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(this.checks.check(HealthGroup.READINESS, false).httpStatus())
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		this.registry.registerContributor("db", (HealthIndicator) () -> Health.down().build());
		assertThat(this.checks.check(HealthGroup.READINESS, false).status()).isEqualTo(Status.DOWN);

		this.registry.unregisterContributor("db");
		this.registry.unregisterContributor("schema");
		this.registry.registerContributor("ping", (HealthIndicator) () -> Health.unknown().build());
		HealthReport all = this.checks.check(HealthGroup.ALL, false);
		assertThat(all.status()).as("UP beats UNKNOWN").isEqualTo(Status.UP);
		assertThat(all.httpStatus()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void groupsHoldTheirMembersOnlyAndDetailsOnlyWhenAsked() {
		this.registry.registerContributor("livenessState", (HealthIndicator) () -> Health.up().build());
		this.registry.registerContributor("jobWorker",
				(HealthIndicator) () -> Health.down().withDetail("stuck", "job 7").build());
		this.registry.registerContributor("rendering", (HealthIndicator) () -> Health.down().build());

		assertThat(this.checks.check(HealthGroup.LIVENESS, true).components()).containsOnlyKeys("livenessState");
		assertThat(this.checks.check(HealthGroup.LIVENESS, true).status()).isEqualTo(Status.UP);
		assertThat(this.checks.check(HealthGroup.READINESS, false).components()).containsOnlyKeys("jobWorker");
		assertThat(this.checks.check(HealthGroup.READINESS, false).components().get("jobWorker").details()).isEmpty();
		assertThat(this.checks.check(HealthGroup.ALL, true).components().get("jobWorker").details())
			.containsEntry("stuck", "job 7");
	}

	@Test
	void aCompositeContributorIsItsWorstMember() {
		this.registry.registerContributor("db",
				CompositeHealthContributor.fromMap(Map.of("primary", (HealthIndicator) () -> Health.up().build(),
						"replica", (HealthIndicator) () -> Health.down().build())));

		HealthReport db = this.checks.check(HealthGroup.READINESS, false).components().get("db");

		assertThat(db.status()).isEqualTo(Status.DOWN);
		assertThat(db.components()).containsOnlyKeys("primary", "replica");
	}

}
