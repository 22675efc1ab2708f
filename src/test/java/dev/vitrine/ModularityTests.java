package dev.vitrine;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * The module boundaries of DESIGN.md hold: each module under {@code dev.vitrine} uses
 * others only through their top-level API types, and there are no cycles.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(VitrineApplication.class);

	@Test
	void modulesUseOnlyEachOthersPublicApi() {
		this.modules.verify();
	}

}
