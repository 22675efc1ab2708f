package dev.vitrine.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The job types this application has handlers for, by name: derived once from the handler
 * beans for every part of the module that needs to know them. Derived on first use, not
 * when the job API is made, so a handler may itself enqueue jobs (depend on {@link Jobs})
 * without a cycle between the API and its handlers.
 */
final class KnownJobTypes {

	private final Supplier<List<JobHandler<?>>> handlers;

	private volatile Map<String, JobType<?>> byName;

	KnownJobTypes(Supplier<List<JobHandler<?>>> handlers) {
		this.handlers = handlers;
	}

	static KnownJobTypes of(List<JobHandler<?>> handlers) {
		return new KnownJobTypes(() -> handlers);
	}

	JobType<?> get(String name) {
		return byName().get(name);
	}

	Set<String> names() {
		return byName().keySet();
	}

	List<String> sortedNames() {
		return byName().keySet().stream().sorted().toList();
	}

	private Map<String, JobType<?>> byName() {
		Map<String, JobType<?>> known = this.byName;
		if (known == null) {
			synchronized (this) {
				known = this.byName;
				if (known == null) {
					Map<String, JobType<?>> found = new HashMap<>();
					for (JobHandler<?> handler : this.handlers.get()) {
						if (found.put(handler.type().name(), handler.type()) != null) {
							throw new IllegalStateException("two handlers for job type " + handler.type().name());
						}
					}
					known = Map.copyOf(found);
					this.byName = known;
				}
			}
		}
		return known;
	}

}
