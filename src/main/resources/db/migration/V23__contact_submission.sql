-- The contact form's own id for the messages it sends: the same form sent again with the same
-- text (a double click, a reload of the POST, a second tab) finds its message stored and stores
-- nothing more; with other text (changed after Back) it is a message of its own. The text's
-- fields are joined with a character none of them may hold (ContactForm refuses control
-- characters but line breaks and tabs). Messages stored before have no id.
ALTER TABLE contact_message ADD COLUMN submission uuid;
CREATE UNIQUE INDEX contact_message_submission_idx
    ON contact_message (submission, md5(name || E'\x1f' || email || E'\x1f' || subject || E'\x1f' || body));
