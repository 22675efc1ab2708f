package dev.vitrine.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the deploy scripts decide when a release breaks halfway, in seconds and without
 * images: the real {@code deploy/deploy.sh}, {@code rollback.sh}, {@code deploy-host.sh},
 * {@code deploy-caprover.sh} and {@code deploy-lib.sh} run against stand-ins for what
 * they drive (src/test/resources/dev/vitrine/ops/deploy-stand-ins: a container engine
 * that keeps its containers as files, curl for the health gates and the proxy's admin
 * API, the CapRover CLI, skopeo and the registry's previous tag).
 * {@code .ci/test-deploy.sh} runs the same scripts for real with podman; this covers the
 * paths that test cannot reach without breaking a release on purpose in more ways.
 */
class DeployScriptsTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final List<String> STAND_INS = List.of("engine", "curl", "caprover", "skopeo");

	/** Full commit SHAs: O the oldest, then A; B is the release refused. */
	private static final String O = "e".repeat(39) + "0";

	private static final String A = "a".repeat(39) + "1";

	private static final String B = "b".repeat(39) + "2";

	private static final Map<String, String> NOTHING_BROKEN = Map.of();

	@TempDir
	Path work;

	private Path fake;

	/** The last script run, shown when a test fails. */
	private Result last;

	/** Each CapRover step runs as on a fresh CI runner, with its own empty state. */
	private int runner;

	@RegisterExtension
	final TestWatcher showLastRun = new TestWatcher() {

		@Override
		public void testFailed(ExtensionContext context, Throwable cause) {
			if (DeployScriptsTests.this.last != null) {
				System.err.println(DeployScriptsTests.this.last);
			}
		}

	};

	@BeforeEach
	void standIns() throws IOException {
		Path bin = Files.createDirectories(this.work.resolve("bin"));
		for (String name : STAND_INS) {
			try (InputStream script = getClass().getResourceAsStream("deploy-stand-ins/" + name)) {
				assertThat(script).as("stand-in %s", name).isNotNull();
				Files.copy(script, bin.resolve(name));
			}
			assertThat(bin.resolve(name).toFile().setExecutable(true)).isTrue();
		}
		this.fake = this.work.resolve("fake");
		Files.writeString(this.work.resolve("vitrine.env"), "");
	}

	@Test
	void deployEnvIsReadWholeWithOnePairOfQuotesStrippedAsAShellReadsIt() throws Exception {
		// the last line has no newline; a value may end in '='
		Files.writeString(this.work.resolve("deploy.env"),
				"T_PLAIN=x\nT_QUOTED=\"a b\"\nT_SINGLE='c'\nT_HALF=\"d\nT_EQUALS=e=\n# T_COMMENT=no\nT_LAST=g");
		Result read = run(Map.of("VITRINE_DEPLOY_CONFIG", this.work.resolve("deploy.env").toString()), "bash", "-c",
				". deploy/deploy-lib.sh; printf '%s|' \"$T_PLAIN\" \"$T_QUOTED\" \"$T_SINGLE\" \"$T_HALF\" "
						+ "\"$T_EQUALS\" \"${T_COMMENT-unset}\" \"${T_LAST-unset}\"");
		assertThat(read.output()).as("deploy.env read as").isEqualTo("x|a b|c|\"d|e=|unset|g|");
	}

	@Test
	void deployEnvSavedOnWindowsOrWrittenForAShellReadsTheSameAndAStrayLineIsNamedNotShown() throws Exception {
		Files.writeString(this.work.resolve("deploy.env"), "\uFEFFT_CRLF=x\r\nexport T_EXPORTED=\"a b\"\r\n\r\n"
				+ "  # a comment\r\nlower_case=secret-1\r\nsecret-2\r\nT_LAST=g\r\n");
		Result read = run(Map.of("VITRINE_DEPLOY_CONFIG", this.work.resolve("deploy.env").toString()), "bash", "-c",
				". deploy/deploy-lib.sh; printf '%s|' \"$T_CRLF\" \"$T_EXPORTED\" \"$T_LAST\"");
		assertThat(read.output()).as("deploy.env read as")
			.endsWith("x|a b|g|")
			.contains("deploy.env line 5 ignored", "deploy.env line 6 ignored")
			.doesNotContain("secret", "line 3 ", "line 4 ");
	}

	@Test
	void aNewWorkerFailingOnItsLivePortGivesWayToTheOldOne() throws Exception {
		host(0, NOTHING_BROKEN, "deploy/deploy-host.sh", "worker", A);
		host(3, liveBroken("worker:" + B), "deploy/deploy-host.sh", "worker", B);
		assertThat(serves("worker")).as("the old worker back, it runs").isEqualTo(A);
		assertThat(container("t-worker-candidate")).as("the old worker back, the candidate").isEmpty();
	}

	@Test
	void aWorkerOnABridgeNetworkHasItsMetricsPortPublishedOnLoopbackForPrometheus() throws Exception {
		host(0, Map.of("VITRINE_DEPLOY_NETWORK", "bridge"), "deploy/deploy-host.sh", "worker", A);

		assertThat(container("t-worker").get("published")).isEqualTo("127.0.0.1:8081:8081");
	}

	@Test
	void aNewWorkerFailingOnItsLivePortWithTheOldOneGoneStaysAsTheCandidate() throws Exception {
		host(0, NOTHING_BROKEN, "deploy/deploy-host.sh", "worker", A);
		// not removed: that would leave no worker at all
		Result failed = host(1, liveBroken("worker:" + B, "worker:" + A), "deploy/deploy-host.sh", "worker", B);
		Map<String, String> candidate = container("t-worker-candidate");
		assertThat(candidate.get("running")).as("neither back, the candidate runs").isEqualTo("true");
		assertThat(candidate.get("revision")).as("neither back, the candidate's revision").isEqualTo(B);
		assertThat(failed.output()).as("the failure says which worker is left")
			.contains("t-worker-candidate (" + B + ") is the one worker left");
	}

	@Test
	void aRefusedDeployOnAHostKeepsBothServicesPreviousRevision() throws Exception {
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", O);
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", A);
		// the worker moves to B, web's gate refuses B, the worker is put back
		host(3, broken("web:" + B), "deploy/deploy.sh", B);
		assertThat(serves("web")).as("after the refused deploy, web serves").isEqualTo(A);
		assertThat(serves("worker")).as("after the refused deploy, the worker runs").isEqualTo(A);
		assertThat(recorded("web", "previous")).as("after the refused deploy, web's previous revision").isEqualTo(O);
		assertThat(recorded("worker", "previous")).as("after the refused deploy, the worker's previous revision")
			.isEqualTo(O);
		assertThat(recorded("worker", "current")).as("after the refused deploy, the worker's current revision")
			.isEqualTo(A);
		// to the revision before, never to the refused release
		host(0, NOTHING_BROKEN, "deploy/rollback.sh", "worker");
		assertThat(serves("worker")).as("the worker alone rolled back runs").isEqualTo(O);
		// the record is read before every deploy now, for the put-back: a broken one
		// must not stop a deploy
		Files.writeString(this.work.resolve("state/worker.previous"), "not-a-sha\n");
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", A);
	}

	@Test
	void aWebThatBrokeOtherwiseThanByItsGateLeavesTheWorkerOnTheNewRevision() throws Exception {
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", A);
		// web's new version fails on its live port and the old one does not come back:
		// the
		// new one serves on as the candidate, and needs the new worker
		Result failed = host(1, liveBroken("web:" + B, "web:" + A), "deploy/deploy.sh", B);
		assertThat(container("t-web-candidate").get("revision")).as("web's candidate serving").isEqualTo(B);
		assertThat(serves("worker")).as("the worker, not rolled back").isEqualTo(B);
		assertThat(failed.output()).as("the failure says where each service is").contains("the worker keeps " + B);
	}

	@Test
	void aRollbackOnAHostBringsWebAndWorkerToOneRevisionAndRefusedAtEitherGateLeavesBothWhereTheyWere()
			throws Exception {
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", O);
		host(0, NOTHING_BROKEN, "deploy/deploy.sh", A);
		host(3, broken("worker:" + O), "deploy/rollback.sh");
		assertThat(serves("web")).as("after the rollback refused at the worker, web serves").isEqualTo(A);
		assertThat(serves("worker")).as("after the rollback refused at the worker, the worker runs").isEqualTo(A);
		host(3, broken("web:" + O), "deploy/rollback.sh");
		assertThat(serves("web")).as("after the rollback refused at web, web serves").isEqualTo(A);
		assertThat(serves("worker")).as("after the rollback refused at web, the worker runs").isEqualTo(A);
		assertThat(recorded("worker", "previous"))
			.as("after the rollback refused at web, the worker's previous revision")
			.isEqualTo(O);
		host(0, NOTHING_BROKEN, "deploy/rollback.sh");
		assertThat(serves("web")).as("rolled back, web serves").isEqualTo(O);
		assertThat(serves("worker")).as("rolled back, the worker runs").isEqualTo(O);
		host(0, NOTHING_BROKEN, "deploy/rollback.sh");
		assertThat(serves("web")).as("rolled back twice, web serves").isEqualTo(A);
		assertThat(serves("worker")).as("rolled back twice, the worker runs").isEqualTo(A);
	}

	@Test
	void aRefusedDeployOnCapRoverKeepsBothServicesPreviousTag() throws Exception {
		capRover(0, NOTHING_BROKEN, "deploy/deploy.sh", "--caprover", O);
		capRover(3, broken("web:" + B), "deploy/deploy.sh", "--caprover", B);
		// no worker:previous before: the put-back must not leave the refused release
		// there
		assertThat(tag("worker")).as("the worker's tag, with none before").isEqualTo(O);
		capRover(0, NOTHING_BROKEN, "deploy/deploy.sh", "--caprover", A);
		capRover(3, broken("web:" + B), "deploy/deploy.sh", "--caprover", B);
		assertThat(site("web")).as("after the refused deploy, the site's web").isEqualTo(A);
		assertThat(site("worker")).as("after the refused deploy, the site's worker").isEqualTo(A);
		assertThat(tag("web")).as("after the refused deploy, the tag web:previous").isEqualTo(O);
		assertThat(tag("worker")).as("after the refused deploy, the tag worker:previous").isEqualTo(O);
	}

	@Test
	void aRollbackOnCapRoverBringsWebAndWorkerToOneRevisionAndRefusedAtTheWorkersGateChangesNothing() throws Exception {
		capRover(0, NOTHING_BROKEN, "deploy/deploy.sh", "--caprover", O);
		capRover(0, NOTHING_BROKEN, "deploy/deploy.sh", "--caprover", A);
		// a refused release in between: the rollback goes to O, never to B
		capRover(3, broken("web:" + B), "deploy/deploy.sh", "--caprover", B);
		capRover(3, broken("worker:" + O), "deploy/rollback.sh", "--caprover");
		assertThat(site("web")).as("after the rollback refused at the worker, the site's web").isEqualTo(A);
		assertThat(site("worker")).as("after the rollback refused at the worker, the site's worker").isEqualTo(A);
		capRover(0, NOTHING_BROKEN, "deploy/rollback.sh", "--caprover");
		assertThat(site("web")).as("rolled back, the site's web").isEqualTo(O);
		assertThat(site("worker")).as("rolled back, the site's worker").isEqualTo(O);
	}

	/** Containers that exit as they start, as {@code service:revision}. */
	private static Map<String, String> broken(String... ids) {
		return Map.of("FAKE_BROKEN", String.join(" ", ids));
	}

	/** Containers that exit as they start under their live name, not as a candidate. */
	private static Map<String, String> liveBroken(String... ids) {
		return Map.of("FAKE_LIVE_BROKEN", String.join(" ", ids));
	}

	/** Runs a deploy script on a host (the engine stand-in, state in work/state). */
	private Result host(int expectedExit, Map<String, String> faults, String... command) throws Exception {
		Map<String, String> environment = new HashMap<>(faults);
		environment.put("VITRINE_ENGINE", this.work.resolve("bin/engine").toString());
		environment.put("VITRINE_IMAGE_PREFIX", "localhost/t");
		environment.put("VITRINE_ENV_FILE", this.work.resolve("vitrine.env").toString());
		environment.put("VITRINE_DEPLOY_NAME", "t");
		environment.putIfAbsent("VITRINE_DEPLOY_NETWORK", "host");
		environment.put("VITRINE_DEPLOY_STATE", this.work.resolve("state").toString());
		environment.put("VITRINE_HEALTH_TIMEOUT", "5");
		environment.put("VITRINE_PROXY_SITE", "http://:1");
		environment.put("VITRINE_PROXY_ADMIN", "127.0.0.1:1");
		environment.put("VITRINE_PROXY_DRAIN", "0");
		environment.put("VITRINE_STOP_TIMEOUT", "0");
		return expect(expectedExit, run(environment, command));
	}

	/** Runs a deploy script for CapRover, as a fresh CI runner with an empty state. */
	private Result capRover(int expectedExit, Map<String, String> faults, String... command) throws Exception {
		Map<String, String> environment = new HashMap<>(faults);
		environment.put("CAPROVER_CLI", "caprover");
		environment.put("CAPROVER_URL", "https://captain.invalid");
		environment.put("CAPROVER_WEB_TOKEN", "t");
		environment.put("CAPROVER_WORKER_TOKEN", "t");
		environment.put("VITRINE_IMAGE_PREFIX", "registry.invalid/you/vitrine");
		environment.put("VITRINE_PUBLIC_URL", "http://site.invalid");
		environment.put("VITRINE_DEPLOY_TOKEN", "t");
		environment.put("VITRINE_HEALTH_TIMEOUT", "1");
		environment.put("VITRINE_DEPLOY_STATE", this.work.resolve("runner" + ++this.runner).toString());
		return expect(expectedExit, run(environment, command));
	}

	private static Result expect(int exit, Result result) {
		assertThat(result.exit()).as("%s exited with", result.command()).isEqualTo(exit);
		return result;
	}

	/**
	 * Runs a command in the repository, the stand-ins first on its PATH, with none of
	 * this machine's deploy settings.
	 */
	private Result run(Map<String, String> settings, String... command) throws Exception {
		List<String> arguments = new ArrayList<>(List.of(command));
		if (arguments.getFirst().startsWith("deploy/")) {
			arguments.set(0, ROOT.resolve(arguments.getFirst()).toString());
		}
		// a file, not a pipe: a process a script left behind cannot hold the test up
		Path log = this.work.resolve("out.log");
		ProcessBuilder builder = new ProcessBuilder(arguments).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		Map<String, String> environment = builder.environment();
		environment.keySet()
			.removeIf((key) -> key.startsWith("VITRINE_") || key.startsWith("CAPROVER_") || key.startsWith("FAKE"));
		environment.put("PATH", this.work.resolve("bin") + ":" + environment.get("PATH"));
		environment.put("FAKE", this.fake.toString());
		environment.put("VITRINE_DEPLOY_CONFIG", "/dev/null");
		environment.putAll(settings);
		Process process = builder.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		this.last = new Result(String.join(" ", command), process.waitFor(),
				Files.readString(log, StandardCharsets.UTF_8));
		return this.last;
	}

	/** The revision container t-SERVICE runs, none when it is not running. */
	private String serves(String service) throws IOException {
		Map<String, String> container = container("t-" + service);
		return "true".equals(container.get("running")) ? container.get("revision") : "none";
	}

	/** The engine stand-in's container NAME, empty when there is none. */
	private Map<String, String> container(String name) throws IOException {
		Path file = this.fake.resolve("containers").resolve(name);
		Map<String, String> fields = new HashMap<>();
		if (Files.exists(file)) {
			for (String line : Files.readAllLines(file)) {
				String[] field = line.split("=", 2);
				fields.put(field[0], (field.length > 1) ? field[1] : "");
			}
		}
		return fields;
	}

	/** What a host's deploy state records: service.current or service.previous. */
	private String recorded(String service, String which) throws IOException {
		return contentOrNone(this.work.resolve("state").resolve(service + "." + which));
	}

	/** What the CapRover site reports the service runs. */
	private String site(String service) throws IOException {
		return contentOrNone(this.fake.resolve("site").resolve(service));
	}

	/** The revision the registry's tag SERVICE:previous names. */
	private String tag(String service) throws IOException {
		return contentOrNone(this.fake.resolve("registry").resolve(service + ".previous"));
	}

	private static String contentOrNone(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file).strip() : "none";
	}

	private record Result(String command, int exit, String output) {

		@Override
		public String toString() {
			return "the last run, " + this.command + ", exited with " + this.exit + ":\n" + this.output;
		}

	}

}
