-- SPDX-License-Identifier: GPL-3.0-or-later
-- Direct conversations and blocks (docs/protocol.md, direct.open and user.block).
--
-- A direct conversation is a party of kind 'direct': its members, one topic, and everything
-- messages have (replies, reactions, files, search, read positions) as in any party. It has no
-- owner role among its members; owner_id keeps who started it. direct_key names the people it
-- was started with (their ids, sorted, comma-separated): unique, so that two people opening the
-- same conversation at once get one, and cleared when someone leaves a group so that opening
-- the same people again starts a new one.

ALTER TABLE parties ADD COLUMN kind text NOT NULL DEFAULT 'party' CHECK (kind IN ('party', 'direct'));
ALTER TABLE parties ADD COLUMN direct_key text UNIQUE;
ALTER TABLE parties ADD CONSTRAINT direct_key_only_for_direct CHECK (direct_key IS NULL OR kind = 'direct');

-- Who blocks whom. Checked when a direct conversation is opened and when a message is sent in one.
CREATE TABLE blocks (
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, blocked_id),
    CHECK (user_id <> blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks (blocked_id);

-- "Do not disturb" is a presence as online and idle are, and crosses instances as they do.
ALTER TABLE instance_presence DROP CONSTRAINT instance_presence_status_check;
ALTER TABLE instance_presence ADD CONSTRAINT instance_presence_status_check CHECK (status IN ('online', 'idle', 'dnd'));
