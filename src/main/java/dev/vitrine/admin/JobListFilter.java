package dev.vitrine.admin;

/**
 * The job list's filter form as the user filled it in (empty strings for unset fields).
 */
public record JobListFilter(String state, String type, String from, String to, String search) {
}
