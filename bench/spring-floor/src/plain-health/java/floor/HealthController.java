package floor;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** L1 and L2: {@code /health/} says the process serves requests, nothing more. */
@RestController
class HealthController {

	@GetMapping({ "/health", "/health/" })
	String health() {
		return "UP\n";
	}

}
