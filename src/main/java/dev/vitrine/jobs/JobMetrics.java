package dev.vitrine.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Counters and timers per job type, exported as {@code vitrine_jobs_*}. */
class JobMetrics {

	private final MeterRegistry registry;

	// looked up per job: keep the registry's id building and locking off the hot path
	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	JobMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Registers a worker's counters for {@code type} at zero, so that the first failure
	 * of a type shows in {@code increase()} (a series that appears with the value 1 has
	 * no earlier sample to increase from).
	 */
	void register(JobType<?> type) {
		for (String name : new String[] { "vitrine.jobs.started", "vitrine.jobs.succeeded", "vitrine.jobs.retried",
				"vitrine.jobs.failed" }) {
			counter(name, type);
		}
	}

	void started(JobType<?> type, Duration latency) {
		counter("vitrine.jobs.started", type).increment();
		timer("vitrine.jobs.latency", "Time from when a job was due to when a worker started it", type)
			.record(latency.isNegative() ? Duration.ZERO : latency);
	}

	/**
	 * Counts an attempt's end; a failure counts as retried or failed by what comes next.
	 */
	void finished(JobType<?> type, AttemptOutcome outcome, boolean again, Duration runTime) {
		switch (outcome) {
			case SUCCEEDED -> {
				counter("vitrine.jobs.succeeded", type).increment();
				timer("vitrine.jobs.duration", "Run time of job attempts", type).record(runTime);
			}
			case FAILED -> counter(again ? "vitrine.jobs.retried" : "vitrine.jobs.failed", type).increment();
			case DISCARDED -> counter("vitrine.jobs.failed", type).increment();
			case SNOOZED, CANCELLED -> {
			}
		}
	}

	void enqueued(JobType<?> type, int count) {
		counter("vitrine.jobs.enqueued", type).increment(count);
	}

	private Counter counter(String name, JobType<?> type) {
		return this.counters.computeIfAbsent(name + "|" + type.name(),
				(key) -> Counter.builder(name)
					.tag("type", type.name())
					.tag("queue", type.queue())
					.register(this.registry));
	}

	private Timer timer(String name, String description, JobType<?> type) {
		return this.timers.computeIfAbsent(name + "|" + type.name(),
				(key) -> Timer.builder(name)
					.description(description)
					.tag("type", type.name())
					.tag("queue", type.queue())
					.publishPercentileHistogram()
					.register(this.registry));
	}

}
