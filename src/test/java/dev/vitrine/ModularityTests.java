package dev.vitrine;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module boundaries of docs/architecture.md hold: each module under
 * {@code dev.vitrine} uses others only through their top-level API types and the
 * dependencies its {@code package-info.java} allows, and there are no cycles. Writes the
 * module diagrams that docs/architecture.md points to.
 */
class ModularityTests {

	/** Where docs/architecture.md says the diagrams are. */
	static final String DOCS = "target/spring-modulith-docs";

	private final ApplicationModules modules = ApplicationModules.of(VitrineApplication.class);

	@Test
	void modulesUseOnlyEachOthersPublicApi() {
		this.modules.verify();
	}

	/** Drawn from the code on every build, so the diagrams cannot drift from it. */
	@Test
	void theModuleDiagramsAndCanvasesAreWrittenFromTheCode() {
		new Documenter(this.modules, Documenter.Options.defaults().withOutputFolder(DOCS)).writeDocumentation();

		Path folder = Path.of(DOCS);
		assertThat(folder.resolve("components.puml")).content().contains("Documents").contains("Site");
		assertThat(folder.resolve("module-documents.puml")).exists();
		assertThat(folder.resolve("module-documents.adoc")).content()
			.contains("dev.vitrine.documents")
			.contains("ContentChanged");
		assertThat(folder.resolve("all-docs.adoc")).exists();
	}

}
