/**
 * Headless Chromium, driven over the Chrome DevTools Protocol by a small client on the
 * browser's pipe: one browser per worker process while there is work (closed when idle),
 * no network for the pages it renders, a fresh browser context per render, a hard
 * deadline on every render, relaunch after a crash and recycling after many renders.
 * {@link dev.vitrine.rendering.Renderer} turns HTML into a PDF or a PNG; it knows nothing
 * of résumés or cards. Only processes with the worker role start a browser.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Rendering", allowedDependencies = { "ops" })
package dev.vitrine.rendering;
