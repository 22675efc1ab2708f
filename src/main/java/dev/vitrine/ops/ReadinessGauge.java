package dev.vitrine.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * {@code vitrine_readiness}: 1 while this process's readiness group (what
 * {@code /health/} answers) is UP, 0 otherwise. Lets an alert tell "up but not ready"
 * (database gone, worker unable to claim, scheduler stuck) from "not scraped at all".
 */
@Component
// every process that serves health; not the export/import commands
@ConditionalOnWebApplication
class ReadinessGauge {

	ReadinessGauge(HealthChecks health, MeterRegistry registry) {
		Gauge.builder("vitrine.readiness", health, ReadinessGauge::ready)
			.description("1 when the readiness group is UP")
			.register(registry);
	}

	private static double ready(HealthChecks health) {
		return health.check(HealthGroup.READINESS, false).isUp() ? 1 : 0;
	}

}
