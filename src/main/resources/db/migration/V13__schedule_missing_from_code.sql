-- A process whose code lacks a stored schedule disables it at its start, so that a schedule
-- removed from the code stops firing. That start may be a deploy's candidate the health gate
-- then refuses, or a rolled-back version, while processes of the version that defines the
-- schedule keep running. missing_from_code marks such a disabling (an operator's never sets
-- it): schedulers whose code defines the schedule still fire it, and the next start of a
-- process that defines it enables it again.
ALTER TABLE job_schedule ADD COLUMN missing_from_code boolean NOT NULL DEFAULT false;
CREATE INDEX job_schedule_missing_due_idx ON job_schedule (next_fire_at) WHERE missing_from_code;
