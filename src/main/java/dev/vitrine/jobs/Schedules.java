package dev.vitrine.jobs;

import java.time.Duration;
import java.util.List;

/**
 * Operators' view of the stored schedules: list them, switch them on or off, change them,
 * run one now.
 */
public interface Schedules {

	List<ScheduleView> list();

	/**
	 * Enabling computes the next fire time from now: fire times missed while disabled
	 * never run.
	 */
	void setEnabled(String name, boolean enabled);

	/**
	 * Changes when a schedule fires; takes effect at the next scheduler tick, without a
	 * restart.
	 * @throws IllegalArgumentException when the grace is negative or longer than
	 * {@link ScheduleDefinition#MAX_MISFIRE_GRACE}
	 */
	void update(String name, Schedule schedule, ScheduleDefinition.Misfire misfire, Duration misfireGrace);

	/**
	 * Enqueues the schedule's job now, outside its timetable.
	 * @throws java.util.NoSuchElementException when no schedule has this name
	 * @throws IllegalStateException when this version declares no job type of the
	 * schedule's (one left by an older release): no worker of it could run the job
	 */
	JobId runNow(String name);

}
