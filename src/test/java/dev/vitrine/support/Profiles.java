package dev.vitrine.support;

import java.time.Instant;

import dev.vitrine.content.Profile;

/** Test profiles: a complete one to start from, each test setting what it is about. */
public final class Profiles {

	private Profiles() {
	}

	/** Ada Example, with a link and no bio or résumé. */
	public static Profile.Builder aProfile() {
		return Profile.builder()
			.name("Ada Example")
			.headline("Backend engineer")
			.location("Lisbon")
			.email("ada@example.com")
			.links("Code https://example.com/ada")
			.updatedAt(Instant.now());
	}

}
