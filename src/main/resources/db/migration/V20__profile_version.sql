-- The profile's saves are numbered, as an entry's are: its editor sends the version it showed,
-- and a save from a form opened before another save is refused instead of overwriting it.
-- Existing rows start at 1, as an entry does. A process still on the previous code saves
-- without moving the number, so during a rolling deploy its saves are not detected.
ALTER TABLE profile ADD COLUMN version int NOT NULL DEFAULT 1;
