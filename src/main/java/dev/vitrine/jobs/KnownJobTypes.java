package dev.vitrine.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every job type this application declares, by name: the {@link JobType} beans, the types
 * of handler beans, and those of schedule definitions. Every process knows every declared
 * type, so a web, scheduler or command-line process enqueues any of them by name; only
 * workers need handlers. Derived on first use, not when the job API is made, so a handler
 * may itself enqueue jobs (depend on {@link Jobs}) without a cycle.
 */
final class KnownJobTypes {

	private final Supplier<List<JobType<?>>> declared;

	private volatile Map<String, JobType<?>> byName;

	KnownJobTypes(Supplier<List<JobType<?>>> declared) {
		this.declared = declared;
	}

	static KnownJobTypes of(List<JobType<?>> types) {
		return new KnownJobTypes(() -> types);
	}

	Optional<JobType<?>> find(String name) {
		return Optional.ofNullable(byName().get(name));
	}

	List<String> sortedNames() {
		return List.copyOf(byName().keySet());
	}

	List<JobType<?>> all() {
		return new ArrayList<>(byName().values());
	}

	private Map<String, JobType<?>> byName() {
		Map<String, JobType<?>> known = this.byName;
		if (known == null) {
			synchronized (this) {
				known = this.byName;
				if (known == null) {
					Map<String, JobType<?>> found = new TreeMap<>();
					for (JobType<?> type : this.declared.get()) {
						JobType<?> other = found.putIfAbsent(type.name(), type);
						if (other != null && !other.equals(type)) {
							throw new IllegalStateException("job type " + type.name()
									+ " is declared twice, differently: " + other + " and " + type);
						}
					}
					known = java.util.Collections.unmodifiableMap(found);
					this.byName = known;
				}
			}
		}
		return known;
	}

}
