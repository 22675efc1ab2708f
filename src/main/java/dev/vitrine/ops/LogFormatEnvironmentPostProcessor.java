package dev.vitrine.ops;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Switches console logs to structured JSON (Elastic Common Schema) when
 * {@code VITRINE_LOG_FORMAT=json}. Runs before the logging system is initialised, which
 * is why this is not an ordinary configuration property.
 */
class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final Setting SETTING = Setting.of("vitrine.log-format");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String format = Binder.get(environment).bind(SETTING.property(), String.class).orElse("plain").strip();
		switch (format.toLowerCase(Locale.ROOT)) {
			case "plain", "" -> {
			}
			case "json" -> environment.getPropertySources()
				.addFirst(
						new MapPropertySource("vitrineLogFormat", Map.of("logging.structured.format.console", "ecs")));
			default -> throw SETTING.invalid("'" + format + "' is not a log format; valid values: plain, json");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
