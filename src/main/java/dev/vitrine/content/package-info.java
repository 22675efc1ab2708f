/**
 * The portfolio's content: the owner's profile and résumé, projects and articles, each
 * written in Markdown and rendered once, on save, to sanitized HTML. Reading is split
 * from writing: {@link dev.vitrine.content.ContentCatalog} answers what the public may
 * see, {@link dev.vitrine.content.ContentEditor} changes content and announces each
 * change as a {@link dev.vitrine.content.ContentChanged} event inside the transaction
 * that made it, so listeners can enqueue follow-up jobs atomically with the change.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Content", allowedDependencies = { "jobs", "ops" })
package dev.vitrine.content;
