-- Which claim statement of its worker leased a running job. A claim that commits while its
-- answer is lost (the connection breaks in between) leaves jobs leased to a worker that does
-- not know it holds them; the worker gives back the jobs of that claim by this number, as
-- never started, instead of letting their leases lapse and the reaper count an attempt that
-- never ran (a job allowed one attempt would fail without running).
ALTER TABLE job ADD COLUMN claim_token bigint;
