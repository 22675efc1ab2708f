package dev.vitrine.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the job monitor shows, read from the jobs table and the history: it survives
 * restarts because both live in PostgreSQL.
 */
public interface JobMonitor {

	Overview overview();

	/** Jobs matching the filter, newest first, at most {@code filter.limit()}. */
	List<JobSummary> jobs(JobFilter filter);

	Optional<JobDetail> job(JobId id);

	/**
	 * The newest job of this type, waiting or finished, whose payload holds these JSON
	 * fields (PostgreSQL's {@code @>}: {@code {"messageId": 7}} finds the job of message
	 * 7 whatever else its payload holds), if any: how another module finds the job it
	 * enqueued for one of its rows without storing the job's id.
	 * @param payloadHolds a JSON object
	 * @param since when the job was enqueued at the earliest (the row's own creation):
	 * the history before it is not read
	 */
	Optional<JobDetail> newest(String type, String payloadHolds, Instant since);

	List<WorkerView> workers();

	/** The names of the job types that workers run. */
	List<String> types();

	/**
	 * @param byState jobs per state, every state in order: current jobs, and attempts
	 * that ended in the last day
	 * @param lastHour succeeded and failed attempts per 5-minute bucket over the last
	 * hour, oldest first
	 * @param queues per job type: jobs due and waiting, and how long the oldest has
	 * waited
	 * @param paused the paused queues and types
	 */
	record Overview(Map<JobState, Long> byState, List<Bucket> lastHour, List<Queue> queues,
			List<Jobs.Pausable> paused) {
	}

	record Bucket(Instant start, long succeeded, long failed) {
	}

	record Queue(String type, long waiting, long running, Duration oldestWaiting) {
	}

	/**
	 * @param state the state, or null for any
	 * @param type a job type name, or null for any
	 * @param from only jobs enqueued or finished at or after this instant, or null
	 * @param to only jobs enqueued or finished before this instant, or null
	 * @param search text the payload must contain (case-insensitive), or null
	 */
	record JobFilter(JobState state, String type, Instant from, Instant to, String search, int limit) {
	}

	record JobSummary(JobId id, JobState state, int attempts, Instant at, String worker, String error) {
	}

	/**
	 * @param state the job's current state
	 * @param nextRunAt when it runs next (pending, scheduled, retrying), else null
	 * @param attempts every recorded attempt, oldest first
	 */
	record JobDetail(JobId id, JobState state, String payload, Instant nextRunAt, String runningOn,
			List<Attempt> attempts) {

		public boolean canRetry() {
			return this.state.canRetry();
		}

		public boolean canCancel() {
			return this.state.canCancel();
		}

	}

	/**
	 * One attempt, from the history; the monitor builds one with {@link #builder()}.
	 *
	 * @param retryAt when the next attempt is due, or null
	 * @param error why it did not succeed, or null
	 */
	record Attempt(int number, AttemptOutcome outcome, String worker, Instant enqueuedAt, Instant startedAt,
			Instant finishedAt, Long durationMillis, Instant retryAt, String error, String stackTrace) {

		static Builder builder() {
			return new Builder();
		}

		/** Names each field: four of them are instants. */
		static final class Builder {

			private int number;

			private AttemptOutcome outcome;

			private String worker;

			private Instant enqueuedAt;

			private Instant startedAt;

			private Instant finishedAt;

			private Long durationMillis;

			private Instant retryAt;

			private String error;

			private String stackTrace;

			private Builder() {
			}

			Builder number(int number) {
				this.number = number;
				return this;
			}

			Builder outcome(AttemptOutcome outcome) {
				this.outcome = outcome;
				return this;
			}

			Builder worker(String worker) {
				this.worker = worker;
				return this;
			}

			Builder enqueuedAt(Instant enqueuedAt) {
				this.enqueuedAt = enqueuedAt;
				return this;
			}

			/** When it started and finished, and how long that took in milliseconds. */
			Builder ran(Instant startedAt, Instant finishedAt, Long durationMillis) {
				this.startedAt = startedAt;
				this.finishedAt = finishedAt;
				this.durationMillis = durationMillis;
				return this;
			}

			Builder retryAt(Instant retryAt) {
				this.retryAt = retryAt;
				return this;
			}

			Builder failure(String error, String stackTrace) {
				this.error = error;
				this.stackTrace = stackTrace;
				return this;
			}

			Attempt build() {
				return new Attempt(this.number, this.outcome, this.worker, this.enqueuedAt, this.startedAt,
						this.finishedAt, this.durationMillis, this.retryAt, this.error, this.stackTrace);
			}

		}

	}

	record WorkerView(String name, String roles, String revision, int threads, Instant startedAt, Instant lastHeartbeat,
			Liveness liveness, long running, long succeeded, long failed) {

		/** Whether a worker process is there. */
		public enum Liveness {

			/** Heartbeats within its lease. */
			ALIVE,

			/**
			 * Stopped cleanly: its row stays a while, for the monitor and the
			 * unknown-type sweep.
			 */
			STOPPED,

			/**
			 * No heartbeat within its lease, and no clean stop: killed, or cut off from
			 * the database.
			 */
			SILENT

		}

	}

}
