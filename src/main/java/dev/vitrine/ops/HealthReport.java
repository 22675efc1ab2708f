package dev.vitrine.ops;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;

/**
 * What a health probe answers, as the actuator's health endpoint did: the status (its
 * code and, where the contributor gives one, its description: public, as the actuator
 * showed it), and per contributor its own (nested for a composite one); details such as a
 * stuck job's name only where {@link HealthChecks} was asked for them.
 *
 * @param status {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE} or {@code UNKNOWN}
 * @param details the contributor's details, or empty
 * @param components the group's or the composite's members, or empty
 */
record HealthReport(@JsonUnwrapped Status status, @JsonInclude(Include.NON_EMPTY) Map<String, Object> details,
		@JsonInclude(Include.NON_EMPTY) Map<String, HealthReport> components) {

	/** 503 while the process cannot do its work, so that a balancer or gate waits. */
	HttpStatus httpStatus() {
		boolean down = Status.DOWN.equals(this.status) || Status.OUT_OF_SERVICE.equals(this.status);
		return down ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
	}

	boolean isUp() {
		return Status.UP.equals(this.status);
	}

}
