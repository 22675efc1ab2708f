-- The contact form's limit counts messages per sender network (an IPv6 client's /64, as the
-- sign-in throttle does), not per address: one user may pick any address in a /64.
ALTER TABLE contact_message ADD COLUMN sender_network text NOT NULL DEFAULT '';
-- messages from before this column count by their address
UPDATE contact_message SET sender_network = remote_address;
CREATE INDEX contact_message_sender_idx ON contact_message (sender_network, created_at);
