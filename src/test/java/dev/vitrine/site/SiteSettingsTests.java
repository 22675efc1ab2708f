package dev.vitrine.site;

import java.time.Duration;

import dev.vitrine.ops.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The site's public address: an origin, since every link the site writes starts at its
 * root; anything else stops startup naming the variable.
 */
class SiteSettingsTests {

	@Test
	void anOriginIsTakenWithOrWithoutItsTrailingSlash() {
		assertThat(settings("https://ada.example/").url()).isEqualTo("https://ada.example");
		assertThat(settings("http://127.0.0.1:8080").url()).isEqualTo("http://127.0.0.1:8080");
		assertThat(settings("").url()).isEmpty();
	}

	@Test
	void anAddressWithAPathQueryOrFragmentIsRefusedBecauseTheSitesLinksWouldMissIt() {
		for (String url : new String[] { "https://ada.example/portfolio", "https://ada.example/?x=1",
				"https://ada.example#top" }) {
			assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings(url))
				.withMessageContaining("Invalid VITRINE_SITE_URL (vitrine.site.url)")
				.withMessageContaining("is more than a scheme, host and port: the site is served at the root");
		}
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> settings("ada.example"))
			.withMessageContaining("is not an absolute http(s) address");
	}

	@Test
	void aContactWindowOfNothingIsRefusedBecauseItWouldTurnTheLimitOff() {
		for (Duration window : new Duration[] { Duration.ZERO, Duration.ofMinutes(-5), null }) {
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> new SiteSettings("", 10, 5, window, DataSize.ofMegabytes(32)))
				.withMessageContaining("Invalid VITRINE_SITE_CONTACT_WINDOW (vitrine.site.contact-window)");
		}
		assertThat(new SiteSettings("", 10, 5, Duration.ofSeconds(1), DataSize.ofMegabytes(32)).contactWindow())
			.isEqualTo(Duration.ofSeconds(1));
	}

	private static SiteSettings settings(String url) {
		return new SiteSettings(url, 10, 5, Duration.ofHours(1), DataSize.ofMegabytes(32));
	}

}
