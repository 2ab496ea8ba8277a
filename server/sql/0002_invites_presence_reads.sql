-- Invites, read positions, mentions and profile pictures.

ALTER TABLE users ADD COLUMN avatar_url text NOT NULL DEFAULT '';

CREATE TABLE invites (
    code       text PRIMARY KEY,
    party_id   uuid NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    max_uses   integer,
    -- Spent with a conditional UPDATE, so concurrent joins can never pass max_uses.
    uses       integer NOT NULL DEFAULT 0 CHECK (max_uses IS NULL OR uses <= max_uses),
    revoked_at timestamptz
);
CREATE INDEX invites_by_party ON invites (party_id, created_at);

CREATE TABLE read_states (
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic_id      uuid NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    last_read_seq bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, topic_id)
);

-- Who a message mentions, resolved from "@name" when it is sent or edited.
CREATE TABLE message_mentions (
    message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic_id   uuid NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX mentions_by_user ON message_mentions (user_id, topic_id, seq);

-- Events for one person (read positions) or for everyone who shares a party with someone
-- (profile changes) are not tied to a single party.
ALTER TABLE events ALTER COLUMN party_id DROP NOT NULL;
ALTER TABLE events ADD COLUMN recipient_user_id uuid;
ALTER TABLE events ADD COLUMN more_party_ids uuid[];
