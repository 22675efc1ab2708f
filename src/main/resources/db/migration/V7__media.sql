-- Images the owner uploads, stored in PostgreSQL so every web replica serves the same bytes.
-- The thumbnail is made by a background job after the upload commits.
CREATE TABLE media (
    id              bigserial PRIMARY KEY,
    file_name       text NOT NULL,
    content_type    text NOT NULL,
    bytes           bytea NOT NULL,
    size            int NOT NULL,
    sha256          text NOT NULL,
    width           int,
    height          int,
    thumbnail       bytea,
    thumbnail_type  text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
