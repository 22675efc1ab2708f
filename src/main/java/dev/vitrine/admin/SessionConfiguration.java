package dev.vitrine.admin;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The owner's login session, in PostgreSQL ({@code spring_session}, V4) so that it
 * survives a restart and every web replica knows it. Built here instead of by Spring
 * Boot's {@code JdbcSessionAutoConfiguration}: the repository that one builds parses
 * Spring's {@code sql-error-codes.xml} when it is created (an XML parser and ~400 classes
 * loaded in every web process, and a database round trip, before the first request) to
 * translate errors that PostgreSQL's SQLSTATE codes already name. Expired sessions are
 * deleted every minute by the repository's own scheduler, as before.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableSpringHttpSession
class SessionConfiguration {

	@Bean
	JdbcIndexedSessionRepository sessionRepository(DataSource dataSource, PlatformTransactionManager transactions,
			@Value("${server.servlet.session.timeout:30m}") Duration timeout) {
		// a session write never joins the request's own transaction
		TransactionTemplate ownTransaction = new TransactionTemplate(transactions);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		JdbcIndexedSessionRepository sessions = new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
				ownTransaction);
		sessions.setDefaultMaxInactiveInterval(timeout);
		return sessions;
	}

}
