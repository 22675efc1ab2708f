-- Failed sign-ins, by client address and by account, for the login rate limit. Kept in
-- PostgreSQL so that every web replica counts the same attempts.
CREATE TABLE login_failure (
    id         bigserial PRIMARY KEY,
    key        text NOT NULL,            -- 'address:203.0.113.9' or 'account:owner@example.com'
    failed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failure_key_idx ON login_failure (key, failed_at);
