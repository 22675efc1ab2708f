package dev.vitrine.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vitrine.ops.InvalidSettingException;
import dev.vitrine.support.RunningApp;
import dev.vitrine.support.WebSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code VITRINE_SECURITY_HSTS_MAX_AGE}: {@code 0} sends no header (the default's header
 * is checked in {@code ForwardedHeadersTests}); a negative value used to reach Spring
 * Security, whose refusal stopped startup without naming the setting.
 */
class HstsMaxAgeTests {

	@Test
	void aNegativeMaxAgeStopsStartupNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> SecurityConfiguration.checkedHstsMaxAge(Duration.ofDays(-1)))
			.withMessageContaining("Invalid VITRINE_SECURITY_HSTS_MAX_AGE (vitrine.security.hsts-max-age)")
			.withMessageContaining("or 0 to send no header");
	}

	@Test
	void zeroSendsNoHeaderOverHttpsOnRenderedOrCachedPages() {
		try (RunningApp app = RunningApp.start("hsts_off", "vitrine.roles=web", "vitrine.content.demo=false",
				"vitrine.security.hsts-max-age=0", "vitrine.site.forwarded-headers=true",
				"vitrine.site.trusted-proxies=127.0.0.2")) {
			WebSession proxy = new WebSession(app.port(), WebSession.loopback(2));

			List<HttpResponse<String>> pages = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				// the first rendered, the next ones from the page cache
				pages.add(proxy.get("/projects", "X-Forwarded-Proto", "https"));
			}
			pages.add(proxy.get("/admin", "X-Forwarded-Proto", "https"));

			assertThat(pages).allSatisfy((page) -> {
				assertThat(page.headers().firstValue("Content-Security-Policy")).as("a header sent").isPresent();
				assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
			});
		}
	}

	@Test
	void zeroAndPositiveMaxAgesAreTaken() {
		assertThat(SecurityConfiguration.checkedHstsMaxAge(Duration.ZERO)).isZero();
		assertThat(SecurityConfiguration.checkedHstsMaxAge(Duration.ofDays(365))).isEqualTo(Duration.ofDays(365));
	}

}
