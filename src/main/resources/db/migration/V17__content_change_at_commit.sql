-- A content change is stamped as its transaction commits, not as it began. now() is the
-- transaction's start: an edit that began before a page was rendered and committed after it
-- carried a time the page's Last-Modified already covered, so a client revalidating with
-- If-Modified-Since alone got a 304 for a page that no longer matched. A deferred trigger
-- runs at commit, and clock_timestamp() then is the commit's time, give or take the commit
-- itself (PageCache.SETTLE covers that).
CREATE FUNCTION content_change_stamp_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_change SET changed_at = clock_timestamp() WHERE id = NEW.id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER content_change_at_commit AFTER INSERT ON content_change
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION content_change_stamp_at_commit();
