-- When public content last changed, for Last-Modified. The newest entry's own times are not
-- enough: unpublishing or deleting it would move Last-Modified back, and a client that
-- revalidates with If-Modified-Since alone would get 304 for a page that no longer shows it.
-- Statement triggers on every table the public pages read add a row here when a statement
-- changed rows (a statement that changed none, such as the nightly clean-up of cards that
-- finds nothing, does not). Rows are only ever added, a handful a day, so concurrent edits
-- never wait on each other here, as they would on one shared row.
CREATE TABLE content_change (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_change_at_idx ON content_change (changed_at);
INSERT INTO content_change DEFAULT VALUES;

CREATE FUNCTION content_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        INSERT INTO content_change DEFAULT VALUES;
    END IF;
    RETURN NULL;
END
$$;

-- a new card or résumé in rendered_file changes the links in the pages' heads
CREATE TRIGGER entry_content_insert AFTER INSERT ON entry
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER entry_content_update AFTER UPDATE ON entry
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER entry_content_delete AFTER DELETE ON entry
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER profile_content_insert AFTER INSERT ON profile
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER profile_content_update AFTER UPDATE ON profile
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER profile_content_delete AFTER DELETE ON profile
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER rendered_file_content_insert AFTER INSERT ON rendered_file
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER rendered_file_content_update AFTER UPDATE ON rendered_file
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
CREATE TRIGGER rendered_file_content_delete AFTER DELETE ON rendered_file
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION content_change_record();
