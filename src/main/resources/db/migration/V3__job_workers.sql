-- Worker processes announce themselves here and renew last_heartbeat while they run, so the
-- monitor and the metrics can tell which workers are alive. A worker that stops cleanly deletes
-- its row; a killed one's row goes stale.
CREATE TABLE job_worker (
    name            text        PRIMARY KEY,
    roles           text        NOT NULL,
    threads         int         NOT NULL,
    started_at      timestamptz NOT NULL,
    last_heartbeat  timestamptz NOT NULL
);
