-- When public content last changed, for Last-Modified. The newest entry's own times are not
-- enough: unpublishing or deleting it would move Last-Modified back, and a client that
-- revalidates with If-Modified-Since alone would get 304 for a page that no longer shows it.
-- A statement trigger on every table the public pages read adds a row here. Rows are only
-- ever added (one per content statement: a handful a day), so concurrent edits never wait on
-- each other here, as they would on one shared row.
CREATE TABLE content_change (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_change_at_idx ON content_change (changed_at);
INSERT INTO content_change DEFAULT VALUES;

CREATE FUNCTION content_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO content_change DEFAULT VALUES;
    RETURN NULL;
END
$$;

CREATE TRIGGER entry_content_change AFTER INSERT OR UPDATE OR DELETE ON entry
    FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER profile_content_change AFTER INSERT OR UPDATE OR DELETE ON profile
    FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
-- a new card or résumé changes the links in the pages' heads
CREATE TRIGGER rendered_file_content_change AFTER INSERT OR UPDATE OR DELETE ON rendered_file
    FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
