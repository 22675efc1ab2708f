-- The profile's number (V20) moves with every save of what its editor writes, also a save
-- by a process still on the code before V20, which knows no number: during a rolling deploy
-- such a save left a form opened before it free to overwrite it. The editor's own saves
-- move the number themselves (and check it), so the trigger moves it only when a statement
-- changed an edited field and left the number as it was. The worker's image sizes, written
-- into the *_html columns, change no edited field and leave an open form valid.
CREATE FUNCTION profile_version_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER profile_version_moves
    BEFORE UPDATE ON profile
    FOR EACH ROW
    WHEN (NEW.version = OLD.version
          AND (NEW.name, NEW.headline, NEW.location, NEW.email, NEW.links, NEW.bio_markdown, NEW.resume_markdown)
              IS DISTINCT FROM
              (OLD.name, OLD.headline, OLD.location, OLD.email, OLD.links, OLD.bio_markdown, OLD.resume_markdown))
    EXECUTE FUNCTION profile_version_moves();
