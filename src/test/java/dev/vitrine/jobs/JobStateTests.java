package dev.vitrine.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Job states read back from their labels, and say what an operator may do. */
class JobStateTests {

	@Test
	void everyLabelReadsBackAsItsState() {
		for (JobState state : JobState.values()) {
			assertThat(JobState.parse(state.label())).hasValue(state);
			assertThat(state).hasToString(state.label());
		}
		assertThat(JobState.labels())
			.isEqualTo("pending, scheduled, running, retrying, succeeded, failed, discarded, cancelled");
	}

	@Test
	void anUnknownLabelIsNoState() {
		assertThat(JobState.parse("broken")).isEmpty();
		assertThat(JobState.parse("PENDING")).isEmpty();
		assertThat(JobState.parse(null)).isEmpty();
	}

	@Test
	void onlyJobsThatEndedWithoutSuccessRunAgainAndOnlyUnfinishedOnesAreCancelled() {
		assertThat(JobState.values()).filteredOn(JobState::canRetry)
			.containsExactly(JobState.FAILED, JobState.DISCARDED, JobState.CANCELLED);
		assertThat(JobState.values()).filteredOn(JobState::canCancel)
			.containsExactly(JobState.PENDING, JobState.SCHEDULED, JobState.RUNNING, JobState.RETRYING);
	}

}
