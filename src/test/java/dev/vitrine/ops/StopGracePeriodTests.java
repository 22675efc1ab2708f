package dev.vitrine.ops;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way the project stops a container gives the process more time than its own graces
 * (requests, then jobs) take: when the engine kills it sooner (Docker's default is 10 s),
 * requests in flight are cut and running jobs wait out their lease elsewhere.
 */
class StopGracePeriodTests {

	private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

	@Test
	void composeDeployHostAndCapRoverWaitLongerThanTheRequestAndJobGraces() throws Exception {
		Duration graces = requestGrace().plus(jobsGrace());
		// Docker's default wait before SIGKILL
		assertThat(graces).isGreaterThan(Duration.ofSeconds(10));

		Map<?, ?> services = (Map<?, ?>) load(Path.of("compose.yaml")).get("services");
		for (String service : List.of("web", "worker", "monitor")) {
			Object period = ((Map<?, ?>) services.get(service)).get("stop_grace_period");
			assertThat(period).as("compose.yaml: %s's stop_grace_period", service).isNotNull();
			assertThat(duration(String.valueOf(period))).as("compose.yaml: %s", service).isGreaterThan(graces);
		}

		String deployHost = Files.readString(Path.of("deploy/deploy-host.sh"));
		Matcher timeout = Pattern.compile("stop_timeout=\\$\\{VITRINE_STOP_TIMEOUT:-(\\d+)}").matcher(deployHost);
		assertThat(timeout.find()).as("deploy-host.sh sets a default VITRINE_STOP_TIMEOUT").isTrue();
		assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1)))).isGreaterThan(graces);
		// on the containers it runs (a reboot stops them too) and on every stop it makes
		assertThat(deployHost).contains("--stop-timeout \"$stop_timeout\"").doesNotContainPattern("stop -t [0-9]");

		Map<?, ?> override = load(Path.of("deploy/caprover/service-update-override.yml"));
		Object nanos = ((Map<?, ?>) ((Map<?, ?>) override.get("TaskTemplate")).get("ContainerSpec"))
			.get("StopGracePeriod");
		assertThat(Duration.ofNanos(((Number) nanos).longValue())).as("CapRover's StopGracePeriod")
			.isGreaterThan(graces);
	}

	/** The default of VITRINE_SHUTDOWN_GRACE, as application.properties sets it. */
	private static Duration requestGrace() throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
			properties.load(reader);
		}
		Matcher matcher = Pattern.compile("\\$\\{VITRINE_SHUTDOWN_GRACE:([^}]+)}")
			.matcher(properties.getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
		assertThat(matcher.matches()).isTrue();
		return duration(matcher.group(1));
	}

	/** The default of VITRINE_JOBS_SHUTDOWN_GRACE, from the settings record. */
	private static Duration jobsGrace() throws ClassNotFoundException {
		Class<?> settings = Class.forName("dev.vitrine.jobs.JobsSettings");
		RecordComponent[] components = settings.getRecordComponents();
		Constructor<?> canonical = Arrays.stream(settings.getDeclaredConstructors())
			.filter((c) -> c.getParameterCount() == components.length)
			.findFirst()
			.orElseThrow();
		for (int i = 0; i < components.length; i++) {
			if (components[i].getName().equals("shutdownGrace")) {
				return duration(canonical.getParameters()[i].getAnnotation(DefaultValue.class).value()[0]);
			}
		}
		throw new AssertionError("JobsSettings has no shutdownGrace");
	}

	private static Duration duration(String text) {
		Matcher part = DURATION_PART.matcher(text);
		Duration total = Duration.ZERO;
		int end = 0;
		while (part.find() && part.start() == end) {
			long amount = Long.parseLong(part.group(1));
			total = total.plus(switch (part.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofHours(amount);
			});
			end = part.end();
		}
		assertThat(end).as("'%s' is a duration", text).isEqualTo(text.length()).isPositive();
		return total;
	}

	private static Map<?, ?> load(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file)) {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
	}

}
