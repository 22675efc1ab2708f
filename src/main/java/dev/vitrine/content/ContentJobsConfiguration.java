package dev.vitrine.content;

import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The content module's schedules; its job handlers are components. */
@Configuration(proxyBeanMethods = false)
class ContentJobsConfiguration {

	@Bean
	ScheduleDefinition<?> stripStoredMetadataSchedule() {
		return StripStoredMetadata.SCHEDULE;
	}

	/**
	 * A worker of a new version prepares what the versions before left at once, not at
	 * the next hour; one such job waits at a time, however many workers start.
	 */
	@Bean
	@ConditionalOnRole(Role.WORKER)
	ApplicationListener<ApplicationReadyEvent> prepareStoredImagesOnStart(Jobs jobs) {
		return (ready) -> jobs.enqueueUnique(StripStoredMetadata.TYPE, new StripStoredMetadata(), "worker-start");
	}

}
