-- Every statement that changes what the public pages read also tells the web replicas, so
-- that no write can change content without their caches hearing of it. Until now the
-- application sent the NOTIFY itself beside each edit it knew of, and a write it did not
-- (the worker's image sizes, the clean-up of cards) left cached pages stale until an
-- unrelated edit. pg_notify in a trigger is delivered on commit, after the commit's stamp
-- in content_change (V17) is visible, and never for a rollback. The payload is the same
-- for every statement, so PostgreSQL folds a transaction's notifications into one: one
-- cache clear per commit, however many rows and tables it changed.
CREATE OR REPLACE FUNCTION content_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO content_change DEFAULT VALUES;
        PERFORM pg_notify('vitrine_content', 'changed');
    END IF;
    RETURN NULL;
END
$$;
