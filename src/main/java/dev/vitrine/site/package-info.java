/**
 * The public site: home, projects, articles, tags, résumé and contact pages, the Atom
 * feed, sitemap and robots.txt, error pages and static assets. Pages are rendered from
 * the content catalog, kept in memory with an ETag, and dropped on every web replica when
 * content changes or a new document is rendered (PostgreSQL LISTEN/NOTIFY). The résumé
 * PDFs and social cards the pages link come from the documents module. Contact messages
 * are stored, then mailed to the owner by a background job.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Site",
		allowedDependencies = { "content", "documents", "jobs", "ops", "rendering" })
package dev.vitrine.site;
