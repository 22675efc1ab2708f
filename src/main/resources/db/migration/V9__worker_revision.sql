-- Which source revision each worker runs: during a rolling deploy old and new workers share
-- the queue, and the deploy waits until a worker of the new revision is alive.
ALTER TABLE job_worker ADD COLUMN revision text NOT NULL DEFAULT 'unknown';
