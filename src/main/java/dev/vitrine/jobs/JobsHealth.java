package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the job roles, part of readiness: a worker that has not managed to look for
 * due jobs recently (its database is gone, or it is wedged) is DOWN; so is a scheduler
 * whose ticks stopped.
 */
final class JobsHealth {

	private JobsHealth() {
	}

	static HealthIndicator worker(JobWorker worker) {
		return () -> {
			Duration allowed = worker.healthyPollAge();
			Instant lastPoll = worker.lastPoll();
			Health.Builder health = recent(lastPoll, allowed) ? Health.up() : Health.down();
			health.withDetail("worker", worker.name());
			if (lastPoll != null) {
				health.withDetail("lastPoll", lastPoll.toString());
			}
			if (worker.lastError() != null) {
				health.withDetail("lastError", worker.lastError());
			}
			return health.build();
		};
	}

	static HealthIndicator scheduler(ScheduleFirer firer) {
		return () -> {
			Duration allowed = max(firer.tick().multipliedBy(10), Duration.ofSeconds(15));
			Instant lastTick = firer.lastTick();
			Health.Builder health = recent(lastTick, allowed) ? Health.up() : Health.down();
			if (lastTick != null) {
				health.withDetail("lastTick", lastTick.toString());
			}
			return health.build();
		};
	}

	private static boolean recent(Instant instant, Duration allowed) {
		return instant != null && Duration.between(instant, Instant.now()).compareTo(allowed) <= 0;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
