-- SPDX-License-Identifier: GPL-3.0-or-later
-- What reaches a party's members who chose nothing else: every message, only mentions, or
-- nothing. The owner sets it (party.configure); each member's own choice is kept by their app.
-- docs/protocol.md, "Party".

ALTER TABLE parties ADD COLUMN notify_default text NOT NULL DEFAULT 'all'
    CHECK (notify_default IN ('all', 'mentions', 'nothing'));
