package dev.vitrine.content;

import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The content module's schedules; its job handlers are components. */
@Configuration(proxyBeanMethods = false)
class ContentJobsConfiguration {

	@Bean
	ScheduleDefinition<?> stripStoredMetadataSchedule() {
		return StripStoredMetadata.SCHEDULE;
	}

	/**
	 * A worker of a new version prepares what the versions before left at once, not at
	 * the next hour: when there is any, one such job waits at a time, however many
	 * workers start.
	 */
	@Bean
	@ConditionalOnRole(Role.WORKER)
	ApplicationListener<ApplicationReadyEvent> prepareStoredImagesOnStart(Jobs jobs, JdbcClient jdbc) {
		return (ready) -> {
			if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM media WHERE NOT prepared)").query(Boolean.class).single()) {
				jobs.enqueueUnique(StripStoredMetadata.TYPE, new StripStoredMetadata(), "worker-start");
			}
		};
	}

}
