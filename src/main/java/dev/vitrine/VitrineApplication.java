package dev.vitrine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Vitrine: a self-hosted portfolio site with its background work (rendering, mail,
 * schedules) on PostgreSQL. One artifact; {@code VITRINE_ROLES} decides which parts run
 * in this process.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VitrineApplication {

	public static void main(String[] args) {
		SpringApplication.run(VitrineApplication.class, args);
	}

}
