package dev.vitrine.jobs;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * What the engine stores for each job: the payload as JSON plus what we track across
 * attempts. The payload stays JSON here and becomes the handler's record only when it
 * runs, so a payload that no longer fits its record fails that job with a clear error
 * instead of the engine's.
 *
 * @param payload the payload as JSON
 * @param enqueuedAt when the job was enqueued (for latency and history)
 * @param attempts attempts made so far
 */
record JobData(JsonNode payload, Instant enqueuedAt, int attempts) {

	JobData nextAttempt() {
		return new JobData(this.payload, this.enqueuedAt, this.attempts + 1);
	}

}
