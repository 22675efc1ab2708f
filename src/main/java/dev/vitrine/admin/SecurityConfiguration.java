package dev.vitrine.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import dev.vitrine.ops.Schema;
import dev.vitrine.ops.Roles;
import dev.vitrine.ops.SecurityHeaders;
import dev.vitrine.ops.Setting;
import gg.jte.generated.precompiled.JteunsavedGenerated;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Who may see what: the admin area and the monitor need the owner's login; the public
 * site, health and metrics do not. CSRF protection stays on for every form (a visitor's
 * token in a cookie, the owner's in the session); the content security policy allows no
 * inline script.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	static final String CONTENT_SECURITY_POLICY = SecurityHeaders.CONTENT_SECURITY_POLICY;

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, Roles roles, LoginThrottle loginThrottle,
			BodyLimitSettings bodyLimits, @Value("${spring.servlet.multipart.max-request-size}") DataSize maxUpload,
			@Value("${vitrine.security.hsts-max-age:365d}") Duration hstsMaxAge) throws Exception {
		// before the CSRF check reads (and for multipart, spools) the body
		http.addFilterBefore(new RequestBodyLimits(bodyLimits, maxUpload), CsrfFilter.class);
		http.addFilterBefore(loginThrottle, UsernamePasswordAuthenticationFilter.class);
		// the admin lives in web processes; a monitor-only one has the monitor
		String home = roles.has(Role.WEB) ? "/admin" : "/monitor";
		// after login, go back to the page asked for: its path kept in a cookie, so a
		// stranger trying /admin leaves no session row
		http.requestCache((cache) -> cache.requestCache(new CookieRequestCache()));
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin/setup", "/login")
			.permitAll()
			.requestMatchers("/admin/**", "/monitor/**", "/monitor")
			.authenticated()
			.anyRequest()
			.permitAll())
			// tokens of visitors in a cookie: a public form stores no session
			.csrf((csrf) -> csrf.csrfTokenRepository(new VisitorCsrfTokens()))
			.exceptionHandling((exceptions) -> exceptions.accessDeniedHandler(expiredForms()))
			.formLogin((form) -> form.loginPage("/login").defaultSuccessUrl(home, false).failureHandler(failedSignIn()))
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
			.headers((headers) -> {
				headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
					.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));
				// only over HTTPS: direct, or behind a proxy with forwarded headers
				if (checkedHstsMaxAge(hstsMaxAge).isZero()) {
					headers.httpStrictTransportSecurity((hsts) -> hsts.disable());
				}
				else {
					headers.httpStrictTransportSecurity((hsts) -> hsts.maxAgeInSeconds(hstsMaxAge.toSeconds()));
				}
			});
		return http.build();
	}

	/**
	 * Stops startup, naming the setting, where Spring Security would throw unexplained.
	 */
	static Duration checkedHstsMaxAge(Duration value) {
		if (value.isNegative()) {
			throw Setting.of("vitrine.security.hsts-max-age")
				.invalid(value.toSeconds() + " s is negative: give a duration such as 365d, or 0 to send no header");
		}
		return value;
	}

	/**
	 * A form whose token no longer holds must not lose what was typed into it. A contact
	 * message (its token's cookie went with a browser restart) goes back to the visitor
	 * in the form, with a fresh token; nothing is stored (site's
	 * {@code ContactController.RESEND}). An owner's form sent after the session ended
	 * (idle timeout, signed out in another tab) gets a 403 page that holds every text
	 * field it sent, to copy back after signing in again. Every other refusal is the
	 * usual 403.
	 */
	private static AccessDeniedHandler expiredForms() {
		AccessDeniedHandler refuse = new AccessDeniedHandlerImpl();
		return (request, response, denied) -> {
			boolean expiredPost = denied instanceof CsrfException && "POST".equals(request.getMethod());
			if (expiredPost && "/contact".equals(request.getServletPath())) {
				request.getRequestDispatcher("/contact/resend").forward(request, response);
			}
			else if (expiredPost && EDITOR.matcher(request.getServletPath()).matches() && !fromAnotherSite(request)) {
				unsaved(request, response);
			}
			else {
				refuse.handle(request, response, denied);
			}
		};
	}

	/**
	 * The editors' pages, where text is typed at length, and which a GET of the same path
	 * opens again. Not the setup form: its password and token are never shown back.
	 */
	private static final Pattern EDITOR = Pattern.compile("/admin/(profile|(projects|articles)/(new|\\d+))");

	/**
	 * A form another site made the browser send: its text must not be shown as the
	 * owner's, under this site's address. Browsers say where a request came from; a
	 * client that does not is let through (it could send anything anyway).
	 */
	private static boolean fromAnotherSite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		return site != null && !"same-origin".equals(site);
	}

	/** Never shown back, whatever form a field comes from. */
	private static final Pattern SECRET = Pattern.compile("(?i)password|confirm|token|secret");

	private static void unsaved(HttpServletRequest request, HttpServletResponse response) throws IOException {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		request.getParameterMap().forEach((name, values) -> {
			// the token, and the version an editor's form was filled from, are not text
			// to paste back: the page opened again carries its own
			if (!"_csrf".equals(name) && !"version".equals(name) && !SECRET.matcher(name).find()) {
				for (String value : values) {
					fields.add(Map.entry(name, value));
				}
			}
		});
		String again = request.getServletPath();
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		HtmlPage.of((out) -> JteunsavedGenerated.render(out, null, again, fields)).render(Map.of(), request, response);
	}

	/**
	 * Back to the form with {@code ?error}, without a session: the login page reads no
	 * saved exception, and guesses would otherwise each leave a session row.
	 */
	private static SimpleUrlAuthenticationFailureHandler failedSignIn() {
		SimpleUrlAuthenticationFailureHandler handler = new SimpleUrlAuthenticationFailureHandler("/login?error");
		handler.setAllowSessionCreation(false);
		return handler;
	}

	@Bean
	LoginThrottle loginThrottle(JdbcClient jdbc, TransactionTemplate transaction) {
		return new LoginThrottle(jdbc, transaction);
	}

	/** Only in the security chain, not also as a plain servlet filter. */
	@Bean
	FilterRegistrationBean<LoginThrottle> loginThrottleRegistration(LoginThrottle throttle) {
		FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(throttle);
		registration.setEnabled(false);
		return registration;
	}

	/** Refused bodies stay unread: see {@link UnreadBodyValve}. */
	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> unreadBodyValve() {
		return (factory) -> factory.addEngineValves(new UnreadBodyValve());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	OwnerAccount ownerAccount(JdbcClient jdbc, PasswordEncoder passwords) {
		return new OwnerAccount(jdbc, passwords);
	}

	/**
	 * At first start: the owner account from the settings, or a setup link in the log;
	 * once the schema is current, in a process that waits for it.
	 */
	@Bean
	@ConditionalOnRole({ Role.WEB, Role.MONITOR })
	SmartInitializingSingleton ownerAccountSetup(OwnerAccount owner, AdminSettings settings, Environment environment,
			Schema schema) {
		return () -> schema.whenCurrent("the owner account setup",
				() -> owner.createOrOfferSetup(settings).ifPresent((token) -> {
					settings.halfGiven().ifPresent((message) -> log.warn("Admin: {}", message));
					log.warn(
							"Admin: no owner account yet. Open http://localhost:{}/admin/setup?token={} within {} h to"
									+ " create it (or set VITRINE_ADMIN_EMAIL and VITRINE_ADMIN_PASSWORD)",
							environment.getProperty("local.server.port",
									environment.getProperty("server.port", "8080")),
							token, OwnerAccount.SETUP_LINK_VALIDITY.toHours());
				}));
	}

}
