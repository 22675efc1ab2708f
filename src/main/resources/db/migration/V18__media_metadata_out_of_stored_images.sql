-- From this version on an upload is stored without what it says about its owner (EXIF with a
-- phone's GPS position, XMP, IPTC, comments, text chunks: ImageMetadata). Images stored before
-- still carry it, and the public site serves them as stored. Their thumbnail job runs again:
-- it now takes the metadata out of the original as well, and turns a JPEG's thumbnail upright.
-- GIF carries no such metadata and is left alone.
INSERT INTO job (type, queue, payload, max_attempts)
SELECT 'content.thumbnail', 'media', jsonb_build_object('mediaId', id), 3
FROM media
WHERE content_type IN ('image/jpeg', 'image/png', 'image/webp')
ORDER BY id;
