package dev.vitrine.ops;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;

/**
 * What a health probe answers, as the actuator's health endpoint did: the status, and per
 * contributor its own (nested for a composite one); details such as a stuck job's name
 * only where {@link HealthChecks} was asked for them.
 *
 * @param status {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or {@code UNKNOWN}
 * @param description why, where the contributor's status says (rendering: the browser's
 * setting at fault), or empty; public, as the actuator showed it
 * @param details the contributor's details, or empty
 * @param components the group's or the composite's members, or empty
 */
record HealthReport(String status, @JsonInclude(Include.NON_EMPTY) String description,
		@JsonInclude(Include.NON_EMPTY) Map<String, Object> details,
		@JsonInclude(Include.NON_EMPTY) Map<String, HealthReport> components) {

	/** 503 while the process cannot do its work, so that a balancer or gate waits. */
	HttpStatus httpStatus() {
		boolean down = Status.DOWN.getCode().equals(this.status) || Status.OUT_OF_SERVICE.getCode().equals(this.status);
		return down ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
	}

	boolean isUp() {
		return Status.UP.getCode().equals(this.status);
	}

}
