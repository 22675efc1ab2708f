package dev.vitrine.documents;

import dev.vitrine.content.ContentCatalog;
import dev.vitrine.content.MediaLibrary;
import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.Role;
import dev.vitrine.rendering.Renderer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DocumentsConfiguration {

	/** The render jobs' handlers, where the browser is: worker processes. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnRole(Role.WORKER)
	static class RenderHandlerConfiguration {

		@Bean
		DocumentHandlers.CardHandler renderCardHandler(Renderer renderer, DocumentFiles files, ContentCatalog catalog) {
			return new DocumentHandlers.CardHandler(renderer, files, catalog);
		}

		/**
		 * @param siteUrl {@code VITRINE_SITE_URL} (validated by the site's settings), so
		 * absolute links to the site's own images are embedded too
		 */
		@Bean
		DocumentHandlers.ResumeHandler renderResumeHandler(Renderer renderer, DocumentFiles files,
				ContentCatalog catalog, MediaLibrary media, @Value("${vitrine.site.url:}") String siteUrl) {
			return new DocumentHandlers.ResumeHandler(renderer, files, catalog,
					new InlineMedia(media, siteUrl.strip().replaceAll("/+$", "")));
		}

		@Bean
		DocumentHandlers.StaleHandler renderStaleHandler(DocumentJobs jobs, DocumentFiles files,
				ContentCatalog catalog) {
			return new DocumentHandlers.StaleHandler(jobs, files, catalog);
		}

	}

	/**
	 * The job types this module enqueues, declared in every process (not only where their
	 * handlers run), so any process can enqueue them by name.
	 */
	@Bean
	JobType<?> renderCardJobType() {
		return DocumentJobs.CARD;
	}

	@Bean
	JobType<?> renderResumeJobType() {
		return DocumentJobs.RESUME;
	}

	@Bean
	ScheduleDefinition<?> renderStaleSchedule() {
		return DocumentJobs.NIGHTLY;
	}

}
