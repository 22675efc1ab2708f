/**
 * The public site: home, projects, articles, tags, résumé and contact pages, the Atom
 * feed, sitemap and robots.txt, and error pages. Pages are rendered from the content
 * catalog, kept in memory with an ETag, and dropped on every web replica when content
 * changes (PostgreSQL LISTEN/NOTIFY). Contact messages are stored, then mailed to the
 * owner by a background job.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Site")
package dev.vitrine.site;
