package dev.vitrine.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job types this application has handlers for, by name: derived once from the handler
 * beans for every part of the module that needs to know them.
 */
record KnownJobTypes(Map<String, JobType<?>> byName) {

	static KnownJobTypes of(List<JobHandler<?>> handlers) {
		Map<String, JobType<?>> byName = new HashMap<>();
		for (JobHandler<?> handler : handlers) {
			if (byName.put(handler.type().name(), handler.type()) != null) {
				throw new IllegalStateException("two handlers for job type " + handler.type().name());
			}
		}
		return new KnownJobTypes(Map.copyOf(byName));
	}

	JobType<?> get(String name) {
		return this.byName.get(name);
	}

	Set<String> names() {
		return this.byName.keySet();
	}

	List<String> sortedNames() {
		return this.byName.keySet().stream().sorted().toList();
	}

}
