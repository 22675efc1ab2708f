-- Files the worker renders with Chromium (résumé PDFs, social cards), kept in PostgreSQL so
-- every web replica serves the same bytes. source_version says which content they show, so
-- a stale file is never presented as current.
CREATE TABLE rendered_file (
    name            text PRIMARY KEY,        -- 'resume-a4.pdf', 'cards/home.png', 'cards/articles/SLUG.png'
    source_version  text NOT NULL,
    content_type    text NOT NULL,
    bytes           bytea NOT NULL,
    sha256          text NOT NULL,
    rendered_at     timestamptz NOT NULL DEFAULT now()
);
