package dev.vitrine.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container alerts and panels read cAdvisor's series as cAdvisor exports them on
 * Docker (compose, deploy-host.sh, CapRover): an alert that selects or groups by a label
 * these series never carry cannot fire there. Whether the rules fire is promtool's test
 * ({@code monitoring/prometheus/alerts.test.yml}).
 */
class MonitoringFilesTests {

	/** What cAdvisor puts on a Docker container's series, besides container_label_*. */
	private static final Set<String> CADVISOR_DOCKER_LABELS = Set.of("id", "name", "image");

	private static final Pattern CONTAINER_SELECTOR = Pattern.compile("\\b(container_[a-z_]+)(\\{[^}]*\\})?");

	private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	@Test
	void theMemoryAlertUsesOnlyLabelsCadvisorExportsOnDocker() throws IOException {
		String expr = alertExpression("VitrineContainerMemoryHigh");
		Set<String> labels = new TreeSet<>();
		Matcher selector = CONTAINER_SELECTOR.matcher(expr);
		while (selector.find()) {
			assertThat(selector.group(2)).as("%s selects Vitrine's containers", selector.group(1)).isNotNull();
			Matcher matcher = LABEL_MATCHER.matcher(selector.group(2));
			while (matcher.find()) {
				labels.add(matcher.group(1));
			}
		}
		Matcher grouping = GROUPING.matcher(expr);
		while (grouping.find()) {
			for (String label : grouping.group(1).split(",")) {
				labels.add(label.strip());
			}
		}
		assertThat(labels).contains("name", "image")
			.allMatch((label) -> CADVISOR_DOCKER_LABELS.contains(label) || label.startsWith("container_label_"));
	}

	@Test
	void theDashboardChartsTheContainersTheMemoryAlertWatches() throws IOException {
		Set<String> alerted = containerSelectors(alertExpression("VitrineContainerMemoryHigh"));
		assertThat(alerted).contains("container_memory_working_set_bytes{name!=\"\", image=~\".*vitrine.*\"}");
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("monitoring/grafana/vitrine.json")));
		Set<String> charted = new TreeSet<>();
		for (JsonNode expr : dashboard.findValues("expr")) {
			charted.addAll(containerSelectors(expr.asString()));
		}
		assertThat(charted).containsAll(alerted);
	}

	private static Set<String> containerSelectors(String expr) {
		Set<String> selectors = new TreeSet<>();
		Matcher matcher = CONTAINER_SELECTOR.matcher(expr);
		while (matcher.find()) {
			selectors.add(matcher.group());
		}
		return selectors;
	}

	@SuppressWarnings("unchecked")
	static String alertExpression(String alert) throws IOException {
		Map<String, Object> rules = new Yaml().load(Files.readString(Path.of("monitoring/prometheus/alerts.yml")));
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				if (alert.equals(rule.get("alert"))) {
					return (String) rule.get("expr");
				}
			}
		}
		throw new AssertionError("no alert " + alert + " in monitoring/prometheus/alerts.yml");
	}

}
