package dev.vitrine.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI/CD workflows under {@code .github/workflows} refer only to scripts, files, bake
 * targets and images this repository has: a renamed script or target breaks this test,
 * not the next release.
 */
class WorkflowFilesTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

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

}
