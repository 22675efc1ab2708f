package dev.vitrine.admin;

import dev.vitrine.jobs.JobState;

/**
 * The job list's filter form as the user filled it in: the state, or null for any; empty
 * strings for the other fields left unset.
 */
public record JobListFilter(JobState state, String type, String from, String to, String search) {
}
