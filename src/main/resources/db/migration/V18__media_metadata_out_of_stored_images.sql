-- From this version on an image is stored without what it says about its owner (EXIF with a
-- phone's GPS position, XMP, IPTC, comments, text chunks: ImageMetadata), with its size as shown
-- (a JPEG's EXIF orientation applied) and a thumbnail made from that. Whether this was done is
-- kept in the row, set last by the thumbnail job: images stored before, and any that an older
-- version stores or thumbnails after this migration (during a staged rollout, or after a
-- rollback), keep the default, and content.strip-metadata, a job older workers do not run,
-- prepares them. The state is in the row, not in a queue, so no worker can drop it.
ALTER TABLE media ADD COLUMN prepared boolean NOT NULL DEFAULT false;

CREATE INDEX media_not_prepared ON media (id) WHERE NOT prepared;
