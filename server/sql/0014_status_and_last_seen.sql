-- SPDX-License-Identifier: GPL-3.0-or-later
-- What a person says of themselves (a status line, until a time or until changed), and when they
-- were last around: set when their presence on an instance comes or goes (ClusterLink), also for
-- the people of an instance that stopped beating. docs/protocol.md, "User".

ALTER TABLE users ADD COLUMN status_text text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status_expires_at timestamptz;
ALTER TABLE users ADD COLUMN last_seen_at timestamptz;
