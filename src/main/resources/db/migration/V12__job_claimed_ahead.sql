-- A worker claims jobs ahead of its free threads (JobWorker's prefetch). When such a worker dies,
-- the reaper cannot tell which of its jobs had started; these two columns keep that from costing
-- the jobs that were only waiting an attempt, without letting a job that kills its worker escape
-- its max attempts.
--
-- claimed_ahead: set by each claim; true when the job was claimed beyond the worker's free
-- threads, so it may not have started when its worker was lost. The reaper gives its attempt back.
ALTER TABLE job ADD COLUMN claimed_ahead boolean NOT NULL DEFAULT false;
-- lost_by_worker: a worker was lost while it held this job. From then on the job is claimed only
-- for a free thread, never ahead, so if it kills its worker again the attempt counts.
ALTER TABLE job ADD COLUMN lost_by_worker boolean NOT NULL DEFAULT false;

