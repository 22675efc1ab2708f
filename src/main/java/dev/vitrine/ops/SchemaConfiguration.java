package dev.vitrine.ops;

import java.io.IOException;

import javax.sql.DataSource;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The {@link Schema} of this process: migrated by Flyway before any other bean uses the
 * database where {@link Migrations} says this process migrates
 * (RoleEnvironmentPostProcessor turns Flyway off elsewhere), otherwise checked and
 * awaited. The conditions read roles and database mode only, which start-up code
 * generated at build time is keyed on.
 */
@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

	static final String FLYWAY_ENABLED = "spring.flyway.enabled";

	@Bean
	@Conditional(MigratesHere.class)
	Schema migratedSchema() {
		// Flyway's initializer ran before any bean that uses the database was made
		return (what, task) -> task.run();
	}

	/** Bean name {@code schema}: its health is the {@code schema} part of readiness. */
	@Bean
	@Conditional(WaitsHere.class)
	AwaitedSchema schema(DataSource dataSource) {
		return new AwaitedSchema(dataSource, SchemaVersion.expectedByCode());
	}

	/**
	 * While the schema is behind, every page answers 503 (health and the actuator
	 * excepted, so probes see why and metrics go on): this process never serves against
	 * an older schema than its code's.
	 */
	@Bean
	@Conditional(WaitsHere.class)
	@ConditionalOnWebApplication
	FilterRegistrationBean<OncePerRequestFilter> schemaWaitFilter(AwaitedSchema schema) {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						String path = ManagementPort.pathOf(request);
						if (schema.isReady() || path.equals("/health") || path.startsWith("/health/")
								|| path.startsWith("/actuator/")) {
							chain.doFilter(request, response);
							return;
						}
						response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
						response.setHeader("Retry-After", "5");
						SecurityHeaders.writeTo(response);
						response.setContentType(MediaType.TEXT_PLAIN_VALUE);
						response.setCharacterEncoding("UTF-8");
						response.getWriter().println("Starting: " + schema.behind() + ".");
					}

				});
		// after ManagementPort's split, which answers 404 to what the port does not serve
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	static class MigratesHere extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return Migrations.runIn(context.getEnvironment(), Roles.from(context.getEnvironment()))
					? ConditionOutcome.match("this process migrates")
					: ConditionOutcome.noMatch("this process waits for the schema");
		}

	}

	static class WaitsHere extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome migrates = new MigratesHere().getMatchOutcome(context, metadata);
			return new ConditionOutcome(!migrates.isMatch(), migrates.getMessage());
		}

	}

}
