-- SPDX-License-Identifier: GPL-3.0-or-later
-- A person's picture: one of their own files, a small square image their app made, shown
-- wherever their initials would be, to themselves and everyone who shares a party with them
-- (docs/protocol.md, profile.update).
--
-- files.avatar marks the file on its own row, so that a message.send racing a profile.update
-- for the same file sees the mark when it takes the row's lock (a look at users from there
-- would see the snapshot of before). A picture is never attached to a message and never swept
-- as an upload left unsent; the one it replaces loses the mark and goes with the next sweep.

ALTER TABLE files ADD COLUMN avatar boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN avatar_file_id uuid REFERENCES files(id) ON DELETE SET NULL;
DROP INDEX files_unattached;
CREATE INDEX files_unattached ON files (created_at) WHERE message_id IS NULL AND NOT avatar;
