-- The addresses an entry had before its slug changed: the site answers them with a permanent
-- redirect to where the entry is now, so that links to it elsewhere keep working. An old
-- address that becomes an entry's own again (renamed back, or taken by a new entry) leaves
-- this table; deleting the entry takes its old addresses with it.
CREATE TABLE entry_moved (
    kind     text   NOT NULL,
    slug     text   NOT NULL,
    entry_id bigint NOT NULL REFERENCES entry (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, slug)
);

CREATE INDEX entry_moved_entry_idx ON entry_moved (entry_id);
