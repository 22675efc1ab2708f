-- Sign-in throttling now counts per client address and account together
-- ('203.0.113.9 owner@example.com'; see dev.vitrine.admin.LoginThrottle). The old
-- per-address and per-account rows mean nothing to it.
DELETE FROM login_failure;

-- Old attempts are swept by time alone, on every sign-in.
CREATE INDEX login_failure_failed_at_idx ON login_failure (failed_at);
