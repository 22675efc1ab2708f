package dev.vitrine.ops;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator/info} on the management port: every {@link InfoDetail} (the roles and
 * revision serving, the revisions of the live workers). The actuator's path and answer,
 * without the actuator (see {@link HealthChecks} for why).
 */
@RestController
class ProcessInfo {

	private final List<InfoDetail> details;

	ProcessInfo(List<InfoDetail> details) {
		this.details = details;
	}

	@GetMapping("/actuator/info")
	Map<String, Object> read() {
		Map<String, Object> info = new TreeMap<>();
		this.details.forEach((detail) -> info.put(detail.name(), detail.value()));
		return info;
	}

}
