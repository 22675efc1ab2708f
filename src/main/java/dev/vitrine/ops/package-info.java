/**
 * Operations: how a Vitrine process runs. Decides its roles ({@code VITRINE_ROLES}),
 * provides the database (an external PostgreSQL, or the embedded default that keeps its
 * data in {@code ./data}), listens for the database's notifications on one connection
 * ({@link dev.vitrine.ops.DatabaseNotifications}), validates configuration at startup
 * ({@link dev.vitrine.ops.Setting}), and serves health, info and metrics. Other modules
 * ask it which roles are active through {@link dev.vitrine.ops.Roles} and
 * {@link dev.vitrine.ops.ConditionalOnRole}. It depends on no other module (an empty
 * {@code allowedDependencies}; leaving it out would allow any).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Operations", allowedDependencies = {})
package dev.vitrine.ops;
