package dev.vitrine.ops;

import java.util.Locale;

/**
 * What a Vitrine process does. Any combination may run in one process; {@code all} (the
 * default) runs every role.
 */
public enum Role {

	/** The public site and the admin area, on {@code SERVER_PORT}. */
	WEB,

	/** Claims and runs background jobs. */
	WORKER,

	/** Fires schedules (exactly once per fire time, however many schedulers run). */
	SCHEDULER,

	/**
	 * The job monitor UI; alone it binds to 127.0.0.1 unless {@code SERVER_ADDRESS} says
	 * otherwise.
	 */
	MONITOR;

	/** The name used in configuration, logs and metric tags. */
	public String configName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
