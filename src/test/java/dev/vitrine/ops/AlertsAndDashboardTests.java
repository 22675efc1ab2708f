package dev.vitrine.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vitrine.jobs.DiagnosticJob;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.support.Http;
import dev.vitrine.support.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert rules ({@code monitoring/prometheus/alerts.yml}) and the Grafana dashboard
 * ({@code monitoring/grafana/vitrine.json}) only name metrics a running Vitrine exports:
 * a renamed metric would otherwise leave an alert that can never fire and an empty panel.
 */
class AlertsAndDashboardTests {

	/**
	 * Metric families Vitrine itself exports; others (up, container_*) come from
	 * Prometheus and cAdvisor.
	 */
	private static final Pattern OWN_METRIC = Pattern
		.compile("\\b((?:vitrine|http_server|jvm|process|hikaricp|tomcat|system|logback)_[a-z0-9_]+)\\b");

	private static RunningApp app;

	private static int port;

	@BeforeAll
	static void start() {
		// every role, and the demo content, so the worker renders with Chromium
		app = RunningApp.start("alerts_dashboard", "vitrine.roles=all");
		port = app.port();
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void everyMetricTheAlertsAndTheDashboardUseIsExported() throws IOException {
		Set<String> named = new TreeSet<>();
		named.addAll(alertMetrics(Path.of("monitoring/prometheus/alerts.yml")));
		named.addAll(dashboardMetrics(Path.of("monitoring/grafana/vitrine.json")));
		assertThat(named).contains("vitrine_jobs_queue_depth", "http_server_requests_seconds_bucket",
				"vitrine_rendering_duration_seconds_bucket", "jvm_memory_used_bytes");

		// timers per job type appear with their first event: one job that succeeds,
		// one that fails through its retries; the demo content gets rendered
		Jobs jobs = app.bean(Jobs.class);
		jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, false));
		jobs.enqueue(DiagnosticJob.TYPE, new DiagnosticJob(0, true));
		Http.get(port, "/");
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(exported()).containsAll(named));
	}

	private static Set<String> exported() {
		String scrape = Http.get(app.managementPort(), "/actuator/prometheus").body();
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			if (!line.isBlank() && !line.startsWith("#")) {
				names.add(line.split("[{ ]", 2)[0]);
			}
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	private static Set<String> alertMetrics(Path file) throws IOException {
		Map<String, Object> rules = new Yaml().load(Files.readString(file));
		Set<String> names = new TreeSet<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				names.addAll(metricsIn((String) rule.get("expr")));
			}
		}
		return names;
	}

	private static Set<String> dashboardMetrics(Path file) throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(file));
		Set<String> names = new TreeSet<>();
		for (JsonNode expr : dashboard.findValues("expr")) {
			names.addAll(metricsIn(expr.asString()));
		}
		return names;
	}

	private static Set<String> metricsIn(String expr) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = OWN_METRIC.matcher(expr);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}
