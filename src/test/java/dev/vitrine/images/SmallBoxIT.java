package dev.vitrine.images;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vitrine.images.ComposeFile.Service;
import dev.vitrine.support.Http;
import dev.vitrine.support.Forms;
import dev.vitrine.support.WebSession;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 1 GB server: PostgreSQL, web and worker run with {@code compose.yaml}'s memory limits
 * (no swap), commands, environment and hardening flags, with {@code .env.example} filled
 * in as the operator's {@code .env}. The limits add up to at most 1 GB; the stack serves
 * pages, renders the résumé again after the owner edits it and mails a contact message
 * (to a real SMTP server, GreenMail); no container is killed for memory or exits. Each
 * container's peak memory (its cgroup's high-water mark) is printed, for BENCHMARKS.md.
 *
 * <p>
 * Runs only when {@code -Dvitrine.images=TAG} names the built images, as ImagesIT
 * ({@code .ci/check-images.sh} runs both): {@code VITRINE_TAG} is that tag, so the images
 * are compose.yaml's {@code localhost/vitrine/web:TAG} and {@code worker:TAG};
 * {@code -Dvitrine.image.SERVICE=NAME} replaces one. PostgreSQL is compose.yaml's image,
 * or where that is not present the stand-in {@code .ci/build-images.sh} builds. The
 * containers use the host's network instead of compose's, so the addresses and ports are
 * the only settings changed.
 */
@EnabledIfSystemProperty(named = "vitrine.images", matches = ".+",
		disabledReason = "no -Dvitrine.images=TAG: the images are not built (.ci/build-images.sh, then .ci/check-images.sh)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmallBoxIT {

	private static final long BOX_MEGABYTES = 1024;

	private static final List<String> SERVICES = List.of("postgres", "web", "worker");

	private static final String POSTGRES_STAND_IN = "localhost/vitrine/postgres:17";

	private static final String OWNER = "owner@example.org";

	private static final String OWNER_PASSWORD = "small-box-password-1";

	private static GreenMail smtp;

	private static ComposeFile compose;

	private static final Map<String, ImageContainer> containers = new LinkedHashMap<>();

	private static String databaseUrl;

	private static int webPort;

	private static int webManagement;

	private static int workerManagement;

	@BeforeAll
	static void start() {
		smtp = new GreenMail(new ServerSetup(Http.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		// the .env an operator makes: .env.example with what it says to set
		Map<String, String> dotEnv = new LinkedHashMap<>(ComposeFile.envFile(Path.of(".env.example")));
		dotEnv.putAll(Map.of("POSTGRES_PASSWORD", "small-box-database-password", "VITRINE_ADMIN_EMAIL", OWNER,
				"VITRINE_ADMIN_PASSWORD", OWNER_PASSWORD, "VITRINE_MAIL_HOST", "127.0.0.1", "VITRINE_MAIL_PORT",
				Integer.toString(smtp.getSmtp().getPort()), "VITRINE_MAIL_STARTTLS", "false", "VITRINE_MAIL_TO", OWNER,
				"VITRINE_TAG", System.getProperty("vitrine.images")));
		compose = ComposeFile.read(Path.of("compose.yaml"), dotEnv);

		Service postgres = compose.service("postgres");
		int postgresPort = Http.freePort();
		databaseUrl = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + postgres.environment().get("POSTGRES_DB");
		String postgresImage = postgresImage(postgres);
		containers.put("postgres",
				ImageContainer.start("smallbox-postgres", postgresImage,
						container(postgres, postgresImage, Map.of("PGPORT", Integer.toString(postgresPort))),
						"it accepted connections", SmallBoxIT::databaseAnswers));

		// web and worker side by side, as compose starts them once PostgreSQL is healthy
		webPort = Http.freePort();
		workerManagement = Http.freePort();
		webManagement = Http.freePort();
		List<ImageContainer> apps = ImageContainer
			.startSideBySide(List.of(SmallBoxIT::startWeb, SmallBoxIT::startWorker));
		containers.put("web", apps.get(0));
		containers.put("worker", apps.get(1));
	}

	private static ImageContainer startWeb() {
		return startApp("web", webPort, Map.of("SERVER_PORT", Integer.toString(webPort), "VITRINE_MANAGEMENT_PORT",
				Integer.toString(webManagement)));
	}

	private static ImageContainer startWorker() {
		return startApp("worker", workerManagement,
				Map.of("VITRINE_MANAGEMENT_PORT", Integer.toString(workerManagement)));
	}

	private static ImageContainer startApp(String name, int healthPort, Map<String, String> ports) {
		Service service = compose.service(name);
		String image = System.getProperty("vitrine.image." + name, service.image());
		Map<String, String> here = new LinkedHashMap<>(ports);
		here.put("VITRINE_DB_URL", databaseUrl);
		return ImageContainer.start("smallbox-" + name, image, container(service, image, here),
				"/health/ on port " + healthPort, () -> ImageContainer.answers(healthPort));
	}

	/**
	 * A container of {@code image} with the service's settings, on the host's network
	 * with {@code here} added to its environment. Its memory limit is its memory and swap
	 * limit: the box has no swap to spare.
	 */
	private static GenericContainer<?> container(Service service, String image, Map<String, String> here) {
		Map<String, String> environment = new LinkedHashMap<>(service.environment());
		environment.putAll(here);
		GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image)).withNetworkMode("host")
			.withEnv(environment)
			.withCreateContainerCmdModifier((create) -> create.getHostConfig()
				.withMemory(service.memoryLimitBytes())
				.withMemorySwap(service.memoryLimitBytes())
				.withReadonlyRootfs(service.readOnly())
				.withCapDrop(service.capDrop().stream().map(Capability::valueOf).toArray(Capability[]::new))
				.withSecurityOpts(service.securityOpt()));
		if (!service.command().isEmpty()) {
			container.withCommand(service.command().toArray(String[]::new));
		}
		if (service.sharedMemoryBytes() > 0) {
			container.withSharedMemorySize(service.sharedMemoryBytes());
		}
		if (!service.tmpfs().isEmpty()) {
			container.withTmpFs(service.tmpfs());
		}
		return container;
	}

	/**
	 * compose.yaml's PostgreSQL image, {@code -Dvitrine.image.postgres}, or where this
	 * engine has not got it (no registry reachable) the stand-in.
	 */
	private static String postgresImage(Service postgres) {
		String image = System.getProperty("vitrine.image.postgres", postgres.image());
		try {
			DockerClientFactory.instance().client().inspectImageCmd(image).exec();
			return image;
		}
		catch (NotFoundException ex) {
			System.out.printf("small box: no %s image here, running the stand-in %s%n", image, POSTGRES_STAND_IN);
			return POSTGRES_STAND_IN;
		}
	}

	private static boolean databaseAnswers() {
		try (Connection connection = database()) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static Connection database() throws SQLException {
		Map<String, String> environment = compose.service("postgres").environment();
		return DriverManager.getConnection(databaseUrl, environment.get("POSTGRES_USER"),
				environment.get("POSTGRES_PASSWORD"));
	}

	@AfterAll
	static void stop() {
		List<String> started = new ArrayList<>(containers.keySet());
		for (String name : started.reversed()) {
			containers.get(name).close();
		}
		if (smtp != null) {
			smtp.stop();
		}
	}

	@Test
	@Order(1)
	void theMemoryLimitsOfPostgresWebAndWorkerAddUpToAtMostOneGigabyte() {
		long total = 0;
		StringBuilder limits = new StringBuilder();
		for (String name : SERVICES) {
			long megabytes = compose.service(name).memoryLimitMegabytes();
			limits.append(name).append(' ').append(megabytes).append(" MB, ");
			total += megabytes;
		}
		System.out.printf("small box: compose.yaml's limits: %s%d MB in all%n", limits, total);

		assertThat(total).as("postgres + web + worker memory limits in compose.yaml, MB")
			.isLessThanOrEqualTo(BOX_MEGABYTES);
	}

	@Test
	@Order(2)
	void postgresRunsWithTheSettingsOfItsComposeCommand() throws SQLException {
		List<String> command = compose.service("postgres").command();
		Map<String, String> settings = new LinkedHashMap<>();
		for (int i = 0; i + 1 < command.size(); i++) {
			if (command.get(i).equals("-c")) {
				String[] setting = command.get(i + 1).split("=", 2);
				settings.put(setting[0], setting[1]);
			}
		}
		assertThat(settings).as("the -c settings of postgres's command in compose.yaml")
			.containsKeys("shared_buffers", "max_connections");

		try (Connection connection = database(); Statement statement = connection.createStatement()) {
			for (Map.Entry<String, String> setting : settings.entrySet()) {
				try (ResultSet shown = statement.executeQuery("SHOW " + setting.getKey())) {
					shown.next();
					assertThat(shown.getString(1))
						.as("PostgreSQL's %s (does the image pass its command on?)", setting.getKey())
						.isEqualTo(setting.getValue());
				}
			}
		}
	}

	@Test
	@Order(3)
	void theStackServesPagesAndTheResume() throws Exception {
		WebSession visitor = new WebSession(webPort);
		for (String path : List.of("/", "/articles", "/projects", "/contact", "/feed.xml")) {
			assertThat(visitor.get(path).statusCode()).as("GET %s", path).isEqualTo(200);
		}
		// the worker renders it after the first start
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> visitor.getBytes("/resume.pdf").statusCode() == 200);
		assertThat(resumeText(visitor)).contains("Ada Example");
	}

	@Test
	@Order(4)
	void theResumeIsRenderedAgainAfterTheOwnerEditsIt() throws Exception {
		WebSession owner = new WebSession(webPort).signIn(OWNER, OWNER_PASSWORD);
		Map<String, String> profile = Forms.fields(owner.get("/admin/profile").body(), "/admin/profile");
		String edit = "Edited on the small box " + System.nanoTime();
		profile.put("resumeMarkdown", profile.getOrDefault("resumeMarkdown", "") + "\n\n" + edit + "\n");

		HttpResponse<String> saved = owner.post("/admin/profile", profile);

		assertThat(saved.statusCode()).as("saving the profile: %s", saved.body()).isEqualTo(302);
		WebSession visitor = new WebSession(webPort);
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> resumeText(visitor).contains(edit));
	}

	@Test
	@Order(5)
	void aContactMessageIsMailed() throws Exception {
		String subject = "small box " + System.nanoTime();
		ContactRoundTrip.send(webPort, subject, "Sent on a 1 GB server.");

		MimeMessage mail = ContactRoundTrip.awaitMail(smtp, subject);
		assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(OWNER);
		assertThat(mail.getContent().toString()).contains("Sent on a 1 GB server.");
	}

	@Test
	@Order(6)
	void noContainerWasKilledForMemoryOrExitedAndEachReportsItsPeak() throws Exception {
		StringBuilder summary = new StringBuilder();
		for (String name : SERVICES) {
			ImageContainer container = containers.get(name);
			ImageContainer.MemoryUse use = container.memoryUse();
			ImageContainer.State state = container.state();
			long limit = compose.service(name).memoryLimitMegabytes();
			System.out.printf("small box: %s peak %d MB of %d MB, %d processes killed for memory%n", name,
					use.peakMegabytes(), limit, use.oomKills());
			summary.append(' ').append(name).append("_peak_mb=").append(use.peakMegabytes());

			assertThat(state.oomKilled()).as("%s killed for memory", name).isFalse();
			assertThat(use.oomKills()).as("%s's processes killed for memory (cgroup oom_kill)", name).isZero();
			assertThat(state.running()).as("%s runs (exit code %s):%n%s", name, state.exitCode(), container.output())
				.isTrue();
		}
		System.out.printf("small box:%s%n", summary);
	}

	@Test
	@Order(7)
	void aBackupRestoredWithTheOperationsGuidesCommandsComesBackWholeAndTheStackStartsOnIt() throws Exception {
		List<String> commands = backupCommands();
		ImageContainer postgres = containers.get("postgres");
		postgres.shell(inPostgres(commands.stream().filter((command) -> command.contains("pg_dump")).findFirst()));
		String backedUp = headline();
		try (Connection connection = database(); Statement statement = connection.createStatement()) {
			statement.execute("UPDATE profile SET headline = 'Changed after the backup'");
			// what a later release's migration adds, as V22 added a function and a
			// trigger
			statement.execute("CREATE TABLE added_after_the_backup (id int)");
			statement.execute("CREATE FUNCTION added_after_the_backup() RETURNS int LANGUAGE sql AS 'SELECT 1'");
		}

		// the guide's restore, in its order: stop the apps, empty the database, restore,
		// start the worker, then web
		for (String command : commands.subList(
				commands.indexOf(commands.stream().filter((line) -> line.contains(" stop ")).findFirst().orElseThrow()),
				commands.size())) {
			if (command.contains(" stop ")) {
				containers.remove("web").close();
				containers.remove("worker").close();
			}
			else if (command.contains(" start ")) {
				containers.put("worker", startWorker());
				containers.put("web", startWeb());
			}
			else {
				postgres.shell(inPostgres(Optional.of(command)));
			}
		}

		assertThat(headline()).isEqualTo(backedUp);
		try (Connection connection = database();
				Statement statement = connection.createStatement();
				ResultSet left = statement.executeQuery("SELECT to_regclass('added_after_the_backup'),"
						+ " to_regprocedure('added_after_the_backup()')")) {
			left.next();
			assertThat(left.getString(1)).as("a table made after the backup").isNull();
			assertThat(left.getString(2)).as("a function made after the backup").isNull();
		}
		assertThat(new WebSession(webPort).get("/").body()).contains(backedUp);
	}

	/**
	 * The {@code docker compose} lines of docs/operations.md's "Backups", in order: the
	 * backup, then the restore.
	 */
	private static List<String> backupCommands() throws Exception {
		String guide = java.nio.file.Files.readString(Path.of("docs/operations.md"));
		String backups = guide.substring(guide.indexOf("\n## Backups\n"));
		backups = backups.substring(0, backups.indexOf("\n## ", 1));
		List<String> commands = new ArrayList<>();
		java.util.regex.Matcher command = java.util.regex.Pattern
			.compile("docker compose (?:--profile \\w+ )?(?:exec -T postgres [^`\n]+|stop [^`\n&]+|start worker)")
			.matcher(backups);
		while (command.find()) {
			commands.add(command.group().strip());
		}
		assertThat(commands).as("the backup and restore commands of docs/operations.md").hasSize(6);
		return commands;
	}

	/** A guide's {@code docker compose exec -T postgres} line, run in its container. */
	private static String inPostgres(Optional<String> line) {
		String command = line.orElseThrow().replaceFirst("^docker compose exec -T postgres ", "");
		assertThat(command).as("a command run in the postgres container").doesNotStartWith("docker");
		// the guide's file names: vitrine-$(date +%F).dump written,
		// vitrine-2026-11-28.dump read
		return command.replaceAll("vitrine-(\\$\\(date \\+%F\\)|[0-9-]+)\\.dump", "/tmp/backup.dump");
	}

	private static String headline() throws SQLException {
		try (Connection connection = database();
				Statement statement = connection.createStatement();
				ResultSet headline = statement.executeQuery("SELECT headline FROM profile")) {
			headline.next();
			return headline.getString(1);
		}
	}

	private static String resumeText(WebSession visitor) throws Exception {
		HttpResponse<byte[]> pdf = visitor.getBytes("/resume.pdf");
		if (pdf.statusCode() != 200) {
			return "";
		}
		assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
		try (PDDocument document = Loader.loadPDF(pdf.body())) {
			return new PDFTextStripper().getText(document);
		}
	}

}
