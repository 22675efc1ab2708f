package dev.vitrine.ops;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks the database settings ({@code VITRINE_DB_*}, {@link DatabaseSettings}) before
 * anything starts. Bound as usual, they are checked only when the first bean that needs
 * the database is made: after Tomcat has started and bound its ports, and with an error
 * about that bean logged before the report that names the setting.
 */
class DatabaseSettingsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// binding runs the record's own checks; a postgres:// URL is also converted once
		Binder.get(environment).bind("vitrine.db", DatabaseSettings.class).ifBound((settings) -> {
			if (settings.isExternal()) {
				settings.externalTarget();
			}
		});
	}

}
