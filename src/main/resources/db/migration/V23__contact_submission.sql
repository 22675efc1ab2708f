-- The contact form's own id for the message it sends: the same form sent twice (a double
-- click, a reload of the POST, a second tab) finds its message stored and stores nothing more.
-- Messages stored before, and those of a form without it, have none.
ALTER TABLE contact_message ADD COLUMN submission uuid;
CREATE UNIQUE INDEX contact_message_submission_idx ON contact_message (submission);
