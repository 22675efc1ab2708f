package dev.vitrine.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI/CD workflows under {@code .github/workflows} refer only to scripts, files, bake
 * targets and images this repository has: a renamed script or target breaks this test,
 * not the next release. The deploy workflow deploys only pushes to this repository, and
 * neither it nor the deploy scripts let anything but a commit SHA reach a shell.
 */
class WorkflowFilesTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final String THIS_REPOSITORY = "owner/vitrine";

	private static final String SHA = "3f9c2e1d8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";

	/** Revisions that are not a full commit SHA, some of them shell code. */
	private static final List<String> NOT_SHAS = List.of("3f9c2e1", "main", SHA.toUpperCase(), SHA + "0",
			SHA + "\nrm -rf ~", "x'; touch CANARY; echo '", "$(touch CANARY)", "");

	@Test
	void everyScriptTargetAndFileTheWorkflowsNameExists() throws IOException {
		WorkflowReferences references = new WorkflowReferences(ROOT);
		List<Path> workflows;
		try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
			workflows = files.filter((f) -> f.toString().endsWith(".yml")).sorted().toList();
		}
		assertThat(workflows).extracting((f) -> f.getFileName().toString()).contains("test.yml", "deploy.yml");
		List<String> problems = new ArrayList<>();
		for (Path workflow : workflows) {
			problems.addAll(references.problems(workflow));
		}
		assertThat(problems).isEmpty();
		assertThat(references.bakeTargets()).contains("web", "worker", "monitor", "distroless", "test");
	}

	@Test
	void missingScriptUnknownTargetAndUnbuiltImageAreEachReported(@TempDir Path root) throws IOException {
		Files.writeString(root.resolve("docker-bake.hcl"), """
				group "default" {
				  targets = ["web"]
				}
				target "_common" {
				}
				target "image" {
				  name   = tgt
				  matrix = { tgt = ["web", "worker"] }
				}
				""");
		Path script = Files.createDirectories(root.resolve("scripts")).resolve("present.sh");
		Files.writeString(script, "#!/bin/sh\n");
		script.toFile().setExecutable(true);
		Path workflow = Files.createDirectories(root.resolve(".github/workflows")).resolve("broken.yml");
		Files.writeString(workflow, """
				on: push
				jobs:
				  build:
				    strategy:
				      matrix:
				        image: [web, monitor]
				    steps:
				      - name: fine
				        run: scripts/present.sh && cd elsewhere/scripts/not-ours.sh
				      - name: gone
				        run: scripts/renamed.sh --fast
				      - uses: docker/bake-action@v6
				        with:
				          files: docker-bake.hcl
				          targets: default,${{ matrix.image }}
				      - uses: aquasecurity/trivy-action@0.28.0
				        with:
				          image-ref: localhost/vitrine/${{ matrix.image }}:abc
				""");

		assertThat(new WorkflowReferences(root).problems(workflow)).containsExactly(
				".github/workflows/broken.yml: build / gone: scripts/renamed.sh does not exist",
				".github/workflows/broken.yml: build / docker/bake-action@v6: no bake target or group 'monitor' in docker-bake.hcl",
				".github/workflows/broken.yml: build / aquasecurity/trivy-action@0.28.0: scans image 'localhost/vitrine/monitor:abc', which no bake target builds");
	}

	@Test
	void onlyAPushToThisRepositoryThatPassedItsTestsIsDeployed() throws IOException {
		Map<?, ?> workflow = load(ROOT.resolve(".github/workflows/deploy.yml"));
		// YAML 1.1 reads the key on as true
		Map<?, ?> on = map(workflow.containsKey("on") ? workflow.get("on") : workflow.get(true));
		assertThat(map(on.get("workflow_run")).get("workflows")).isEqualTo(List.of("test"));
		Map<?, ?> jobs = map(workflow.get("jobs"));
		assertThat(jobs).isNotEmpty();

		Map<String, Object> pushHere = workflowRun("push", "success", THIS_REPOSITORY);
		Map<String, Object> dispatched = context("workflow_dispatch", Map.of());
		for (Object name : jobs.keySet()) {
			assertThat(runs(jobs, name, pushHere)).as("job %s after a push here passed its tests", name).isTrue();
			assertThat(runs(jobs, name, dispatched)).as("job %s started by hand", name).isTrue();
			assertThat(runs(jobs, name, workflowRun("pull_request", "success", "attacker/vitrine")))
				.as("job %s after a fork's pull request from its branch main passed", name)
				.isFalse();
			assertThat(runs(jobs, name, workflowRun("pull_request", "success", THIS_REPOSITORY)))
				.as("job %s after a pull request of this repository passed", name)
				.isFalse();
			assertThat(runs(jobs, name, workflowRun("push", "success", "attacker/vitrine")))
				.as("job %s after a push to another repository", name)
				.isFalse();
			assertThat(runs(jobs, name, workflowRun("push", "failure", THIS_REPOSITORY)))
				.as("job %s after tests failed", name)
				.isFalse();
		}
	}

	@Test
	void everyDeployJobChecksTheRevisionIsACommitShaBeforeUsingIt() throws Exception {
		Map<?, ?> jobs = map(load(ROOT.resolve(".github/workflows/deploy.yml")).get("jobs"));
		for (Map.Entry<?, ?> job : jobs.entrySet()) {
			List<?> steps = (List<?>) map(job.getValue()).get("steps");
			int firstUse = -1;
			for (int i = 0; i < steps.size() && firstUse < 0; i++) {
				if (String.valueOf(steps.get(i)).contains("REVISION")) {
					firstUse = i;
				}
			}
			assertThat(firstUse).as("job %s uses the revision", job.getKey()).isNotNegative();
			Object check = map(steps.get(firstUse)).get("run");
			assertThat(check).as("job %s: the first step that reads the revision is a shell check", job.getKey())
				.isInstanceOf(String.class);
			assertThat(runStep((String) check, SHA)).as("job %s accepts a commit SHA", job.getKey()).isZero();
			for (String revision : NOT_SHAS) {
				assertThat(runStep((String) check, revision)).as("job %s given revision '%s'", job.getKey(), revision)
					.isNotZero();
			}
			assertThat(ROOT.resolve("CANARY")).doesNotExist();
		}
	}

	@Test
	void theRollbackWorkflowRunsByHandDeploysOnlyACommitShaAndBuildsNothing() throws Exception {
		Map<?, ?> workflow = load(ROOT.resolve(".github/workflows/rollback.yml"));
		Map<?, ?> on = map(workflow.containsKey("on") ? workflow.get("on") : workflow.get(true));
		assertThat(on.keySet().stream().map(String::valueOf).toList()).containsExactly("workflow_dispatch");
		// never beside a deploy
		Object deployGroup = map(load(ROOT.resolve(".github/workflows/deploy.yml")).get("concurrency")).get("group");
		assertThat(map(workflow.get("concurrency")).get("group")).isEqualTo(deployGroup);
		Map<?, ?> jobs = map(workflow.get("jobs"));
		assertThat(jobs).isNotEmpty();
		for (Map.Entry<?, ?> job : jobs.entrySet()) {
			assertThat(String.valueOf(job.getValue())).as("job %s builds no image", job.getKey())
				.doesNotContain("bake-action", "docker build", "buildx");
			List<?> steps = (List<?>) map(job.getValue()).get("steps");
			Object check = map(steps.getFirst()).get("run");
			assertThat(check).as("job %s: its first step checks the revision", job.getKey())
				.isInstanceOf(String.class)
				.asString()
				.contains("REVISION");
			assertThat(runStep((String) check, SHA)).as("job %s accepts a commit SHA", job.getKey()).isZero();
			// empty: the revision before the last deploy, found by the scripts
			assertThat(runStep((String) check, "")).as("job %s accepts no revision", job.getKey()).isZero();
			for (String revision : NOT_SHAS) {
				if (!revision.isEmpty()) {
					assertThat(runStep((String) check, revision))
						.as("job %s given revision '%s'", job.getKey(), revision)
						.isNotZero();
				}
			}
			assertThat(ROOT.resolve("CANARY")).doesNotExist();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "deploy/deploy.sh", "deploy/deploy.sh --caprover", "deploy/deploy-host.sh web",
			"deploy/deploy-host.sh worker", "deploy/deploy-caprover.sh web" })
	void aDeployScriptRefusesARevisionThatIsNotACommitSha(String command, @TempDir Path work) throws Exception {
		for (String revision : NOT_SHAS) {
			Result result = script(work, command, revision);
			assertThat(result.exit()).as("%s '%s': %s", command, revision, result.output()).isEqualTo(1);
			assertThat(result.output()).contains("is not a revision: a full commit SHA is 40 lowercase hex digits");
			assertThat(work.resolve("CANARY")).doesNotExist();
			assertThat(ROOT.resolve("CANARY")).doesNotExist();
		}
		// a SHA gets past the check, to the next thing missing here
		assertThat(script(work, command, SHA).output()).doesNotContain("is not a revision")
			.containsPattern("set (VITRINE_IMAGE_PREFIX|CAPROVER_URL)");
	}

	@Test
	void rollbackRefusesARecordedRevisionThatIsNotACommitSha(@TempDir Path work) throws Exception {
		Path state = Files.createDirectories(work.resolve("state"));
		Files.writeString(state.resolve("web.current"), SHA + "\n");
		Files.writeString(state.resolve("web.previous"), "x'; touch CANARY; echo '\n");
		Result result = script(work, "deploy/rollback.sh web", null);
		assertThat(result.exit()).isEqualTo(1);
		assertThat(result.output()).contains("is not a revision: a full commit SHA");
		assertThat(work.resolve("CANARY")).doesNotExist();
		assertThat(ROOT.resolve("CANARY")).doesNotExist();
	}

	private static boolean runs(Map<?, ?> jobs, Object name, Map<String, Object> contexts) {
		Map<?, ?> job = map(jobs.get(name));
		if (job.get("if") != null && !GitHubExpression.holds(String.valueOf(job.get("if")), contexts)) {
			return false;
		}
		Object needs = job.get("needs");
		List<?> needed = (needs instanceof List<?> list) ? list : (needs != null) ? List.of(needs) : List.of();
		return needed.stream().allMatch((other) -> runs(jobs, other, contexts));
	}

	private static Map<String, Object> workflowRun(String event, String conclusion, String headRepository) {
		return context("workflow_run", Map.of("workflow_run", Map.of("event", event, "conclusion", conclusion,
				"head_branch", "main", "head_repository", Map.of("full_name", headRepository))));
	}

	private static Map<String, Object> context(String eventName, Map<String, Object> event) {
		Map<String, Object> github = new LinkedHashMap<>();
		github.put("event_name", eventName);
		github.put("repository", THIS_REPOSITORY);
		github.put("event", event);
		return Map.of("github", github, "vars", Map.of(), "env", Map.of());
	}

	/** Runs a workflow step's script as GitHub does (bash -e) with REVISION set. */
	private static int runStep(String script, String revision) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("REVISION", revision);
		Process process = builder.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return process.exitValue();
	}

	private static Result script(Path work, String command, String revision) throws Exception {
		List<String> arguments = new ArrayList<>(List.of(command.split(" ")));
		arguments.set(0, ROOT.resolve(arguments.getFirst()).toString());
		if (revision != null) {
			arguments.add(revision);
		}
		ProcessBuilder builder = new ProcessBuilder(arguments).directory(work.toFile()).redirectErrorStream(true);
		builder.environment().keySet().removeIf((key) -> key.startsWith("VITRINE_") || key.startsWith("CAPROVER_"));
		builder.environment().put("VITRINE_DEPLOY_CONFIG", "/dev/null");
		builder.environment().put("VITRINE_DEPLOY_STATE", work.resolve("state").toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private static Map<?, ?> load(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file)) {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
	}

	private static Map<?, ?> map(Object value) {
		return (value instanceof Map<?, ?> map) ? map : Map.of();
	}

	private record Result(int exit, String output) {
	}

}
