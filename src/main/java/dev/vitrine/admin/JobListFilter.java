package dev.vitrine.admin;

import java.util.Optional;

import dev.vitrine.jobs.JobState;

/**
 * The job list's filter form as the user filled it in: the state and the type, empty for
 * any; empty strings for the other fields left unset, as their inputs show them.
 */
public record JobListFilter(Optional<JobState> state, Optional<String> type, String from, String to, String search) {
}
