package dev.vitrine.ops;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Which processes run the database migrations (Flyway) at start: those that own the
 * schema's writers, i.e. the worker and scheduler roles, the embedded default (the one
 * process on its own database) and one-off commands ({@code migrate}, {@code import},
 * ...). A web or monitor process on an external database does not: every replica would
 * otherwise load Flyway (and Jackson 2 with it) and check every migration on each start;
 * it waits for the schema instead ({@link AwaitedSchema}).
 */
final class Migrations {

	private Migrations() {
	}

	static boolean runIn(Environment environment, Roles roles) {
		boolean external = StringUtils.hasText(environment.getProperty("vitrine.db.url"));
		return roles.active().isEmpty() || roles.has(Role.WORKER) || roles.has(Role.SCHEDULER) || !external;
	}

}
