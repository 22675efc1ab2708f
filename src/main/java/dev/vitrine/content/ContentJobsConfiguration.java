package dev.vitrine.content;

import dev.vitrine.jobs.ScheduleDefinition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The content module's schedules; its job handlers are components. */
@Configuration(proxyBeanMethods = false)
class ContentJobsConfiguration {

	@Bean
	ScheduleDefinition<?> stripStoredMetadataSchedule() {
		return StripStoredMetadata.SCHEDULE;
	}

}
