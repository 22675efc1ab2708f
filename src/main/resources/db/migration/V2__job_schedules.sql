-- Schedules: defined in code as defaults (inserted once), then owned by the database so that
-- operators can edit them at runtime. A scheduler process fires a due schedule by locking its
-- row (FOR UPDATE SKIP LOCKED), enqueueing the job and moving next_fire_at on, in one
-- transaction: each fire time is enqueued exactly once however many schedulers run.
CREATE TABLE job_schedule (
    name            text        PRIMARY KEY,
    job_type        text        NOT NULL,
    payload         jsonb       NOT NULL,
    cron            text,
    interval_ms     bigint      CHECK (interval_ms > 0),
    zone            text        NOT NULL DEFAULT 'UTC',
    enabled         boolean     NOT NULL DEFAULT true,
    -- 'skip': a fire time missed by more than a few seconds is skipped;
    -- 'run-once': missed fire times run once, if the latest is late by at most misfire_grace_ms
    misfire         text        NOT NULL DEFAULT 'skip' CHECK (misfire IN ('skip', 'run-once')),
    misfire_grace_ms bigint     NOT NULL DEFAULT 0 CHECK (misfire_grace_ms >= 0),
    next_fire_at    timestamptz,
    last_fire_at    timestamptz,
    last_job_id     text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((cron IS NULL) <> (interval_ms IS NULL))
);
CREATE INDEX job_schedule_due_idx ON job_schedule (next_fire_at) WHERE enabled;
