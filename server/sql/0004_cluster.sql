-- Several server instances on one database.

-- Event ids are handed out from this one row, as the last step before a write commits. The
-- row lock is held until the commit, so ids are in commit order across every instance: once
-- an id is visible, so is every smaller one, and "everything after id N" is a complete
-- answer. (A sequence hands out ids at insert time; a later id could commit first.)
CREATE TABLE event_log_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_id  bigint NOT NULL
);
INSERT INTO event_log_head (last_id) SELECT coalesce(max(id), 0) FROM events;

-- Every running instance, with a heartbeat; one that stops beating is removed by the others,
-- and its people's presence with it.
CREATE TABLE server_instances (
    id         uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);

-- Each person's presence on each instance they are connected to (no row: offline there).
CREATE TABLE instance_presence (
    instance_id uuid NOT NULL REFERENCES server_instances(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL,
    status      text NOT NULL CHECK (status IN ('online', 'idle')),
    PRIMARY KEY (instance_id, user_id)
);
