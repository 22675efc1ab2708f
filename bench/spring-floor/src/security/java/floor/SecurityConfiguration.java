package floor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * L2 and up: {@code /admin} behind form login (the user is spring.security.user.*), the
 * rest public, as Vitrine's site and owner pages.
 */
@Configuration(proxyBeanMethods = false)
@RestController
class SecurityConfiguration {

	@Bean
	SecurityFilterChain security(HttpSecurity http) {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/admin", "/admin/**")
				.authenticated()
				.anyRequest()
				.permitAll())
			.formLogin(Customizer.withDefaults())
			.build();
	}

	@GetMapping("/admin")
	String admin() {
		return "owner's page\n";
	}

}
