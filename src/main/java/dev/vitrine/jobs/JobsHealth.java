package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the job roles, part of readiness: a worker that has not managed to look for
 * due jobs recently (its database is gone, or it is wedged) is DOWN; so is a scheduler
 * whose ticks stopped, and a worker with a handler that ignored the interrupt at its
 * deadline and still holds its thread. One that has just started counts from its start,
 * so a process is ready as soon as it has started, not only after its first poll: a probe
 * racing the first poll would otherwise see a healthy process as DOWN.
 */
final class JobsHealth {

	private JobsHealth() {
	}

	static HealthIndicator worker(JobWorker worker) {
		return () -> {
			Instant lastPoll = worker.lastPoll();
			Health.Builder health = builder(worker.startedAt(), lastPoll, worker.healthyPollAge(), Instant.now());
			health.withDetail("worker", worker.name());
			if (lastPoll != null) {
				health.withDetail("lastPoll", lastPoll.toString());
			}
			if (worker.lastError() != null) {
				health.withDetail("lastError", worker.lastError());
			}
			List<String> stuck = worker.stuck();
			if (!stuck.isEmpty()) {
				// its threads and leases stay taken until the handlers return: a restart
				// is what frees them, and readiness DOWN is how an operator hears of it
				health.down().withDetail("stuck", stuck);
			}
			return health.build();
		};
	}

	static HealthIndicator scheduler(ScheduleFirer firer) {
		return () -> {
			Instant lastTick = firer.lastTick();
			Health.Builder health = builder(firer.startedAt(), lastTick, schedulerAllowance(firer.tick()),
					Instant.now());
			if (lastTick != null) {
				health.withDetail("lastTick", lastTick.toString());
			}
			return health.build();
		};
	}

	static Duration schedulerAllowance(Duration tick) {
		Duration tenTicks = tick.multipliedBy(10);
		return (tenTicks.compareTo(Duration.ofSeconds(15)) >= 0) ? tenTicks : Duration.ofSeconds(15);
	}

	/**
	 * UP when the last sign of life (or, before the first, the start) is at most
	 * {@code allowed} old; DOWN otherwise, and DOWN when the role never started.
	 */
	static Health.Builder builder(Instant startedAt, Instant lastSign, Duration allowed, Instant now) {
		Instant since = (lastSign != null) ? lastSign : startedAt;
		if (since == null || Duration.between(since, now).compareTo(allowed) > 0) {
			return Health.down();
		}
		return (lastSign != null) ? Health.up() : Health.up().withDetail("starting", true);
	}

}
