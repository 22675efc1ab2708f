-- A worker that stops keeps its row (the unknown-type sweep reads when a worker of each type
-- was last seen), marked stopped so that it no longer counts as live.
ALTER TABLE job_worker ADD COLUMN stopped_at timestamptz;
