-- Jobs run on db-scheduler (see dev.vitrine.jobs). Its table, as its PostgreSQL schema defines it:
-- one row per pending or running job; the row is deleted when the job ends.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Our history: one row per attempt, kept after the engine forgets the job, for the monitor,
-- for operators' retries, and for metrics that survive restarts.
CREATE TABLE job_run (
    id            bigserial   PRIMARY KEY,
    job_id        text        NOT NULL,
    job_type      text        NOT NULL,
    payload       jsonb,
    attempt       int         NOT NULL,
    outcome       text        NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'cancelled')),
    -- when the job will be tried again; NULL when this attempt was the last
    retry_at      timestamptz,
    worker        text,
    enqueued_at   timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz NOT NULL,
    duration_ms   bigint,
    error         text,
    stack_trace   text
);
CREATE INDEX job_run_job_id_idx ON job_run (job_id, attempt);
CREATE INDEX job_run_finished_at_idx ON job_run (finished_at);
CREATE INDEX job_run_type_finished_at_idx ON job_run (job_type, finished_at);
