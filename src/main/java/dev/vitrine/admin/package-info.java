/**
 * The admin area: the owner's login (one account, from {@code VITRINE_ADMIN_EMAIL} and
 * {@code VITRINE_ADMIN_PASSWORD} or a one-time setup link), the security rules for every
 * HTTP path, and the job monitor pages (what Flower showed, behind the login, persisted
 * in PostgreSQL). Sessions live in PostgreSQL so that web replicas share them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Admin",
		allowedDependencies = { "content", "documents", "jobs", "ops" })
package dev.vitrine.admin;
