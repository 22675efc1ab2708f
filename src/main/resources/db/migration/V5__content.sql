-- The portfolio's content. Markdown is the source; its sanitized HTML is rendered once on
-- save and kept beside it, so pages never render Markdown per request.

CREATE TABLE profile (
    id             int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name           text NOT NULL,
    headline       text NOT NULL DEFAULT '',
    location       text NOT NULL DEFAULT '',
    email          text NOT NULL DEFAULT '',
    links          text NOT NULL DEFAULT '',       -- one "label url" per line
    bio_markdown   text NOT NULL DEFAULT '',
    bio_html       text NOT NULL DEFAULT '',
    resume_markdown text NOT NULL DEFAULT '',
    resume_html    text NOT NULL DEFAULT '',
    demo           boolean NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- projects and articles share one table: they differ only in which pages list them
CREATE TABLE entry (
    id             bigserial PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('project', 'article')),
    slug           text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title          text NOT NULL,
    summary        text NOT NULL DEFAULT '',
    body_markdown  text NOT NULL DEFAULT '',
    body_html      text NOT NULL DEFAULT '',
    tags           text[] NOT NULL DEFAULT '{}',
    link_url       text NOT NULL DEFAULT '',       -- a project's site or repository
    featured       boolean NOT NULL DEFAULT false,
    published      boolean NOT NULL DEFAULT false,
    published_at   timestamptz,                     -- may be in the future: visible from then on
    demo           boolean NOT NULL DEFAULT false,
    version        int NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, slug)
);

CREATE INDEX entry_public_idx ON entry (kind, published_at DESC) WHERE published;
CREATE INDEX entry_tags_idx ON entry USING gin (tags);

CREATE TABLE contact_message (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL,
    email          text NOT NULL,
    subject        text NOT NULL DEFAULT '',
    body           text NOT NULL,
    remote_address text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    mailed_at      timestamptz,
    read_at        timestamptz
);

CREATE INDEX contact_message_created_idx ON contact_message (created_at DESC);
