package dev.vitrine.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a GitHub Actions workflow and lists what it refers to that the repository does
 * not have: scripts and files named in {@code run} steps (and whether scripts are
 * executable), bake files and targets, the images Trivy scans (which must be bake
 * targets), local actions and {@code hashFiles} arguments. Matrix expressions are
 * expanded with the job's matrix values.
 */
final class WorkflowReferences {

	/**
	 * Paths into the repository, not a part of a longer path such as
	 * {@code dir/scripts/x}.
	 */
	private static final Pattern REPO_PATH = Pattern
		.compile("(?<![\\w./~-])((?:scripts|\\.ci|ops|deploy|docs|\\.github)/[\\w./@-]*\\w)");

	private static final Pattern MATRIX = Pattern.compile("\\$\\{\\{\\s*matrix\\.([\\w-]+)\\s*}}");

	private static final Pattern HASH_FILES = Pattern.compile("hashFiles\\('([^']+)'\\)");

	private static final Pattern BAKE_BLOCK = Pattern.compile("(?ms)^(target|group) \"([\\w-]+)\" \\{(.*?)^}");

	private static final Pattern BAKE_MATRIX = Pattern.compile("matrix\\s*=\\s*\\{\\s*[\\w-]+\\s*=\\s*\\[([^]]*)]");

	private final Path root;

	private final Set<String> bakeTargets = new LinkedHashSet<>();

	private final Set<String> bakeNames = new LinkedHashSet<>();

	WorkflowReferences(Path root) throws IOException {
		this.root = root;
		Path bake = root.resolve("docker-bake.hcl");
		if (Files.exists(bake)) {
			Matcher block = BAKE_BLOCK.matcher(Files.readString(bake));
			while (block.find()) {
				String kind = block.group(1);
				String name = block.group(2);
				Matcher matrix = BAKE_MATRIX.matcher(block.group(3));
				if (kind.equals("group")) {
					this.bakeNames.add(name);
				}
				else if (matrix.find()) {
					for (String value : matrix.group(1).split(",")) {
						this.bakeTargets.add(value.strip().replace("\"", ""));
					}
				}
				else if (!name.startsWith("_")) {
					this.bakeTargets.add(name);
				}
			}
			this.bakeNames.addAll(this.bakeTargets);
		}
	}

	Set<String> bakeTargets() {
		return this.bakeTargets;
	}

	/**
	 * What {@code workflow} refers to that is missing, one line each; empty when all
	 * exists.
	 */
	List<String> problems(Path workflow) throws IOException {
		Map<String, Object> document;
		try (Reader reader = Files.newBufferedReader(workflow)) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		List<String> problems = new ArrayList<>();
		String file = this.root.relativize(workflow).toString();
		if (document == null || !(document.get("jobs") instanceof Map<?, ?> jobs) || jobs.isEmpty()) {
			problems.add(file + ": no jobs");
			return problems;
		}
		for (Map.Entry<?, ?> job : jobs.entrySet()) {
			Map<?, ?> definition = (Map<?, ?>) job.getValue();
			Map<?, ?> matrix = map(map(definition.get("strategy")).get("matrix"));
			Object steps = definition.get("steps");
			if (!(steps instanceof List<?> list)) {
				continue;
			}
			for (int i = 0; i < list.size(); i++) {
				Map<?, ?> step = map(list.get(i));
				Object label = (step.get("name") != null) ? step.get("name") : step.get("uses");
				String where = file + ": " + job.getKey() + " / " + ((label != null) ? label : "step " + (i + 1));
				check(step, matrix, where, problems);
			}
		}
		return problems;
	}

	private void check(Map<?, ?> step, Map<?, ?> matrix, String where, List<String> problems) {
		if (step.get("run") instanceof String run) {
			Matcher path = REPO_PATH.matcher(run);
			while (path.find()) {
				checkFile(path.group(1), where, problems);
			}
		}
		Map<?, ?> with = map(step.get("with"));
		for (Object value : with.values()) {
			Matcher hash = HASH_FILES.matcher(String.valueOf(value));
			while (hash.find()) {
				checkFile(hash.group(1), where, problems);
			}
		}
		String uses = (step.get("uses") instanceof String s) ? s : "";
		if (uses.startsWith("./")) {
			checkFile(uses.substring(2) + "/action.yml", where, problems);
		}
		else if (uses.startsWith("docker/bake-action@")) {
			for (String files : split(with.get("files"))) {
				checkFile(files, where, problems);
			}
			for (String targets : split(with.get("targets"))) {
				for (String target : expand(targets, matrix)) {
					if (!this.bakeNames.contains(target)) {
						problems.add(where + ": no bake target or group '" + target + "' in docker-bake.hcl");
					}
				}
			}
		}
		else if (uses.startsWith("aquasecurity/trivy-action@")) {
			String imageRef = String.valueOf(with.get("image-ref"));
			for (String image : expand(imageRef, matrix)) {
				String name = image.replaceAll(":[^/]*$", "").replaceAll(".*/", "");
				if (!this.bakeTargets.contains(name)) {
					problems.add(where + ": scans image '" + image + "', which no bake target builds");
				}
			}
		}
	}

	private void checkFile(String path, String where, List<String> problems) {
		Path file = this.root.resolve(path);
		if (!Files.exists(file)) {
			problems.add(where + ": " + path + " does not exist");
		}
		else if (path.endsWith(".sh") && !Files.isExecutable(file)) {
			problems.add(where + ": " + path + " is not executable");
		}
	}

	/** Every value of {@code text} over the matrix values it names. */
	private static List<String> expand(String text, Map<?, ?> matrix) {
		Matcher variable = MATRIX.matcher(text);
		if (!variable.find()) {
			return List.of(text);
		}
		List<String> expanded = new ArrayList<>();
		Object values = matrix.get(variable.group(1));
		List<?> list = (values instanceof List<?> l) ? l : List.of("<matrix." + variable.group(1) + " undefined>");
		for (Object value : list) {
			String once = text.substring(0, variable.start()) + value + text.substring(variable.end());
			expanded.addAll(expand(once, matrix));
		}
		return expanded;
	}

	private static List<String> split(Object value) {
		if (value == null) {
			return List.of();
		}
		return List.of(String.valueOf(value).split("[,\\n]"))
			.stream()
			.map(String::strip)
			.filter((s) -> !s.isBlank())
			.toList();
	}

	private static Map<?, ?> map(Object value) {
		return (value instanceof Map<?, ?> map) ? map : Map.of();
	}

}
