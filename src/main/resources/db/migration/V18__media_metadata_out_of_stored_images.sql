-- From this version on an upload is stored without what it says about its owner (EXIF with a
-- phone's GPS position, XMP, IPTC, comments, text chunks: ImageMetadata), and its row says so.
-- Images stored before, and any an older version stores after this migration (during a staged
-- rollout, or after a rollback), get the default: a scheduled job of this version
-- (content.strip-metadata, a type older workers do not run) stores them again without it. The
-- state is in the row, not in a queue, so no worker can drop it.
ALTER TABLE media ADD COLUMN metadata_stripped boolean NOT NULL DEFAULT false;

CREATE INDEX media_metadata_not_stripped ON media (id) WHERE NOT metadata_stripped;
