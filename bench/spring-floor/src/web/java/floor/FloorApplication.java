package floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** L1 and up: a Spring Boot application with one page. */
@SpringBootApplication
@RestController
public class FloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(FloorApplication.class, args);
	}

	@GetMapping("/")
	String home() {
		return "floor\n";
	}

}
