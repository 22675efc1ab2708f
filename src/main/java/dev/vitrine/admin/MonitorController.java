package dev.vitrine.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import dev.vitrine.jobs.JobId;
import dev.vitrine.jobs.JobMonitor;
import dev.vitrine.jobs.JobState;
import dev.vitrine.jobs.JobType;
import dev.vitrine.jobs.Jobs;
import dev.vitrine.jobs.Schedule;
import dev.vitrine.jobs.ScheduleDefinition;
import dev.vitrine.jobs.ScheduleView;
import dev.vitrine.jobs.Schedules;
import dev.vitrine.ops.ConditionalOnRole;
import dev.vitrine.ops.HtmlPage;
import dev.vitrine.ops.Role;
import gg.jte.generated.precompiled.monitor.JtejobGenerated;
import gg.jte.generated.precompiled.monitor.JtejobsGenerated;
import gg.jte.generated.precompiled.monitor.JteoverviewGenerated;
import gg.jte.generated.precompiled.monitor.JteproblemGenerated;
import gg.jte.generated.precompiled.monitor.JteschedulesGenerated;
import gg.jte.generated.precompiled.monitor.JteworkersGenerated;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The job monitor: overview, jobs with filters and search, one job with its attempts,
 * workers, schedules. Pages refresh their content every few seconds
 * ({@code assets/js/monitor.js}).
 */
@Controller
@RequestMapping("/monitor")
@ConditionalOnRole(Role.MONITOR)
class MonitorController {

	private final JobMonitor monitor;

	private final Jobs jobs;

	private final Schedules schedules;

	MonitorController(JobMonitor monitor, Jobs jobs, Schedules schedules) {
		this.monitor = monitor;
		this.jobs = jobs;
		this.schedules = schedules;
	}

	@GetMapping
	HtmlPage overview(CsrfToken csrf, HttpServletRequest request) {
		JobMonitor.Overview overview = this.monitor.overview();
		return HtmlPage.of((out) -> JteoverviewGenerated.render(out, null, csrf, Flash.notice(request), overview));
	}

	@GetMapping("/jobs")
	HtmlPage jobs(@RequestParam(required = false) String state, @RequestParam(required = false) String type,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String search, CsrfToken csrf, HttpServletRequest request) {
		Optional<JobState> wanted = parseState(state);
		Optional<String> typeName = parseTypeName(type);
		if (search != null && search.indexOf('\0') >= 0) {
			throw new BadInput("'search' cannot hold a NUL character (%00), as no payload can");
		}
		Instant since = parseLocal("from", from);
		Instant until = parseLocal("to", to);
		if (since != null && until != null && since.isAfter(until)) {
			// a list of nothing would look like no such jobs
			throw new BadInput(
					"'from' (" + from.strip() + ") is after 'to' (" + to.strip() + "): no job is between them");
		}
		JobMonitor.JobFilter filter = new JobMonitor.JobFilter(wanted.orElse(null), typeName.orElse(null), since, until,
				search, 200);
		JobListFilter shown = new JobListFilter(wanted, typeName, blank(from), blank(to), blank(search));
		List<JobMonitor.JobSummary> found = this.monitor.jobs(filter);
		List<String> types = this.monitor.types();
		return HtmlPage.of((out) -> JtejobsGenerated.render(out, null, csrf, Flash.notice(request), shown, found,
				List.of(JobState.values()), types));
	}

	@GetMapping("/jobs/{type}/{id}")
	HtmlPage job(@PathVariable String type, @PathVariable long id, CsrfToken csrf, HttpServletRequest request) {
		JobMonitor.JobDetail job = this.monitor.job(new JobId(type, id))
			.orElseThrow(() -> new NoSuchElementException("No job " + type + "#" + id));
		return HtmlPage.of((out) -> JtejobGenerated.render(out, null, csrf, Flash.notice(request), job));
	}

	@PostMapping("/jobs/{type}/{id}/retry")
	String retry(@PathVariable String type, @PathVariable long id, RedirectAttributes redirect) {
		this.jobs.retry(new JobId(type, id));
		redirect.addFlashAttribute(Flash.NOTICE, "Job enqueued again.");
		return "redirect:/monitor/jobs/{type}/{id}";
	}

	@PostMapping("/jobs/{type}/{id}/cancel")
	String cancel(@PathVariable String type, @PathVariable long id, RedirectAttributes redirect) {
		this.jobs.cancel(new JobId(type, id));
		redirect.addFlashAttribute(Flash.NOTICE, "Job cancelled (a running one stops when its handler sees it).");
		return "redirect:/monitor/jobs/{type}/{id}";
	}

	@PostMapping("/jobs/retry-failed")
	String retryFailed(@RequestParam(required = false) String type, RedirectAttributes redirect) {
		Optional<String> typeName = parseTypeName(type);
		int retried = this.jobs.retryFailed(typeName);
		redirect.addFlashAttribute(Flash.NOTICE, retried + ((retried == 1) ? " failed job" : " failed jobs")
				+ typeName.map((name) -> " of " + name).orElse("") + " enqueued again.");
		return "redirect:/monitor/jobs?state=failed";
	}

	@PostMapping("/pause")
	String pause(@RequestParam String scope, @RequestParam String name, @RequestParam boolean paused,
			RedirectAttributes redirect) {
		String nothing = paused ? "Nothing paused: " : "Nothing resumed: ";
		boolean changed;
		try {
			Jobs.Pausable target = new Jobs.Pausable(Jobs.Pausable.Scope.parse(scope)
				.orElseThrow(() -> new BadInput(nothing + "scope must be queue or type, not " + scope)), name);
			changed = paused ? this.jobs.pause(target) : this.jobs.resume(target);
		}
		catch (IllegalArgumentException ex) {
			throw new BadInput(nothing + ex.getMessage());
		}
		// two tabs, or another owner's click: say what this click did, not what was asked
		String what = scope + " " + name;
		redirect.addFlashAttribute(Flash.NOTICE, changed ? what + (paused ? " paused." : " resumed.")
				: what + (paused ? " was paused already." : " was not paused: nothing resumed."));
		return "redirect:/monitor";
	}

	@GetMapping("/workers")
	HtmlPage workers(CsrfToken csrf, HttpServletRequest request) {
		List<JobMonitor.WorkerView> workers = this.monitor.workers();
		return HtmlPage.of((out) -> JteworkersGenerated.render(out, null, csrf, Flash.notice(request), workers));
	}

	@GetMapping("/schedules")
	HtmlPage schedules(CsrfToken csrf, HttpServletRequest request) {
		List<ScheduleView> schedules = this.schedules.list();
		return HtmlPage.of((out) -> JteschedulesGenerated.render(out, null, csrf, Flash.notice(request), schedules));
	}

	@PostMapping("/schedules/{name}/enabled")
	String setEnabled(@PathVariable String name, @RequestParam boolean enabled, RedirectAttributes redirect) {
		this.schedules.setEnabled(name, enabled);
		redirect.addFlashAttribute(Flash.NOTICE, name + (enabled ? " enabled." : " disabled."));
		return "redirect:/monitor/schedules";
	}

	@PostMapping("/schedules/{name}/run")
	String runNow(@PathVariable String name, RedirectAttributes redirect) {
		JobId id = this.schedules.runNow(name);
		return "redirect:/monitor/jobs/" + id.type() + "/" + id.value();
	}

	@PostMapping("/schedules/{name}")
	String edit(@PathVariable String name, @RequestParam(required = false) String cron,
			@RequestParam(required = false) Long intervalSeconds, @RequestParam(defaultValue = "UTC") String zone,
			@RequestParam(defaultValue = "skip") String misfire, @RequestParam(defaultValue = "0") long graceMinutes,
			RedirectAttributes redirect) {
		long maxGrace = ScheduleDefinition.MAX_MISFIRE_GRACE.toMinutes();
		if (graceMinutes < 0 || graceMinutes > maxGrace) {
			throw new BadInput("Schedule " + name + " not changed: the grace must be 0 to " + maxGrace + " minutes ("
					+ ScheduleDefinition.MAX_MISFIRE_GRACE.toDays() + " days)");
		}
		boolean hasCron = cron != null && !cron.isBlank();
		// the form shows both fields: one left filled in beside the other is not dropped
		// silently, and an empty pair is not read as an interval of 0 s
		if (hasCron == (intervalSeconds != null)) {
			throw new BadInput("Schedule " + name + " not changed: give a cron expression or an interval"
					+ (hasCron ? ", not both" : ""));
		}
		Schedule schedule;
		try {
			schedule = hasCron ? Schedule.cron(cron.strip(), ZoneId.of(zone.strip()))
					: Schedule.every(Duration.ofSeconds(intervalSeconds));
			// a valid cron expression may match no date (the 30th of February)
			schedule.nextAfter(Instant.now());
		}
		catch (RuntimeException ex) {
			throw new BadInput("Schedule " + name + " not changed: " + ex.getMessage());
		}
		// a value the form cannot send: refused, not read as skip
		ScheduleDefinition.Misfire policy = ScheduleDefinition.Misfire.parse(misfire)
			.orElseThrow(() -> new BadInput(
					"Schedule " + name + " not changed: missed fire times must be skip or run-once, not " + misfire));
		this.schedules.update(name, schedule, policy, Duration.ofMinutes(graceMinutes));
		redirect.addFlashAttribute(Flash.NOTICE, name + " now fires " + schedule.describe() + ".");
		return "redirect:/monitor/schedules";
	}

	@ExceptionHandler(NoSuchElementException.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	HtmlPage notFound(NoSuchElementException ex, HttpServletRequest request) {
		return problem(ex, request);
	}

	/** The job or schedule is not in a state that allows the action. */
	@ExceptionHandler(IllegalStateException.class)
	@ResponseStatus(HttpStatus.CONFLICT)
	HtmlPage conflict(IllegalStateException ex, HttpServletRequest request) {
		return problem(ex, request);
	}

	@ExceptionHandler(BadInput.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	HtmlPage badInput(BadInput ex, HttpServletRequest request) {
		return problem(ex, request);
	}

	private static HtmlPage problem(RuntimeException ex, HttpServletRequest request) {
		// an exception handler gets no CsrfToken argument: the request carries it
		CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
		return HtmlPage.of((out) -> JteproblemGenerated.render(out, null, csrf, ex.getMessage()));
	}

	/** The state filter: empty for any. */
	private static Optional<JobState> parseState(String label) {
		if (label == null || label.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(JobState.parse(label.strip())
			.orElseThrow(() -> new BadInput("'" + label + "' is not a job state; valid: " + JobState.labels())));
	}

	/**
	 * A {@code datetime-local} field, read as UTC (the monitor shows UTC times), in the
	 * years 1 to 9999: java.time parses years far beyond what PostgreSQL holds.
	 */
	private static Instant parseLocal(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		LocalDateTime time;
		try {
			time = LocalDateTime.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw new BadInput("'" + field + "' is not a date and time (yyyy-mm-ddThh:mm): " + value);
		}
		if (time.getYear() < 1 || time.getYear() > 9999) {
			throw new BadInput("'" + field + "' must be in the years 1 to 9999: " + value);
		}
		return time.toInstant(ZoneOffset.UTC);
	}

	/**
	 * The type filter: empty for any (the field missing, or sent empty as the forms'
	 * "any" does), else a name a job type can have.
	 */
	private static Optional<String> parseTypeName(String type) {
		if (type == null || type.isBlank()) {
			return Optional.empty();
		}
		if (!JobType.isValidName(type.strip())) {
			throw new BadInput("'type' is not a job type name (" + JobType.NAME_RULE + ")");
		}
		return Optional.of(type.strip());
	}

	private static String blank(String value) {
		return (value != null) ? value : "";
	}

	static class BadInput extends RuntimeException {

		BadInput(String message) {
			super(message);
		}

	}

}
