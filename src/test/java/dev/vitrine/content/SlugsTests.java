package dev.vitrine.content;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlugsTests {

	@Test
	void slugFromATitleDropsAccentsAndPunctuation() {
		assertThat(Slugs.fromTitle("Résumé: Ça va? Déjà vu!")).isEqualTo("resume-ca-va-deja-vu");
		assertThat(Slugs.fromTitle("  PostgreSQL is a fine queue  ")).isEqualTo("postgresql-is-a-fine-queue");
		assertThat(Slugs.fromTitle("日本語")).isEmpty();
	}

	@Test
	void slugFromATitleSpellsOutLettersWithoutAnAccentToDropAsHeadingIdsDo() {
		assertThat(Slugs.fromTitle("Straße, Ærø, Łódź")).isEqualTo("strasse-aero-lodz");
		assertThat(Slugs.fromTitle("The ﬁrst ２ weeks")).isEqualTo("the-first-2-weeks");
		assertThat(Slugs.fromTitle("Straße")).isEqualTo(Markdown.asciiFolded("Straße"));
	}

	@Test
	void validSlugsAreLowerCaseWordsJoinedBySingleHyphens() {
		assertThat(Slugs.isValid("hello-world-2")).isTrue();
		assertThat(Slugs.isValid("Hello")).isFalse();
		assertThat(Slugs.isValid("a--b")).isFalse();
		assertThat(Slugs.isValid("-a")).isFalse();
		assertThat(Slugs.isValid("../etc")).isFalse();
		assertThat(Slugs.isValid("a".repeat(101))).isFalse();
	}

}
