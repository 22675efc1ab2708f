package dev.vitrine.ops;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * At build time, beside the start-up code Spring AOT generates, records the settings it
 * was generated for, so that {@link AotStartupEnvironmentPostProcessor} uses that code
 * only in a process with the same settings.
 */
class AotStartupSettingsRecorder implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getParentBeanFactory() != null) {
			// a child context (such as Spring Boot's own management server) shares
			// the application's settings: they are recorded once, by the root
			return null;
		}
		String settings = AotStartupEnvironmentPostProcessor
			.format(AotStartupEnvironmentPostProcessor.settingsOf(beanFactory.getBean(Environment.class)));
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.addResourceFile(AotStartupEnvironmentPostProcessor.SETTINGS_RESOURCE, settings);
	}

}
