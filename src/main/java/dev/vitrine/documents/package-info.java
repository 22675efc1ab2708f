/**
 * Rendered documents: the résumé as PDF (A4 and Letter) and a social card (PNG) for the
 * home page and each public project and article. This module owns where such a document
 * is made, stored and served: each content change enqueues the renders it makes stale
 * ({@code DocumentJobs}) in the transaction that made the change; a worker renders the
 * print or card template with Chromium ({@code DocumentHandlers}) and stores the file
 * with the version of the content it shows in the {@code rendered_file} table
 * ({@code DocumentFiles}); web processes serve it ({@code DocumentController}). A nightly
 * schedule renders whatever is missing or stale.
 * <p>
 * Its API: {@link dev.vitrine.documents.Documents} (what the public pages link, and the
 * admin's re-render buttons). A stored file reaches the web replicas' page caches as any
 * content write does, through the database's trigger (V21). It depends on content (what
 * to show), jobs (the queue), rendering (Chromium) and ops (roles); never on the site or
 * admin, which depend on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Documents",
		allowedDependencies = { "content", "jobs", "rendering", "ops" })
package dev.vitrine.documents;
