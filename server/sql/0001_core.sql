-- People, parties, topics and messages, and the change events that go with every write.

CREATE TABLE users (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    display_name text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Accounts are keyed by who vouches for them and their id there, never by e-mail.
CREATE TABLE identities (
    provider   text NOT NULL,
    subject    text NOT NULL,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
);

CREATE TABLE parties (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL,
    owner_id   uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
    party_id  uuid NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role      text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (party_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);
-- Exactly one owner per party.
CREATE UNIQUE INDEX one_owner_per_party ON members (party_id) WHERE role = 'owner';

CREATE TABLE topics (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    party_id   uuid NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    name       text NOT NULL,
    position   integer NOT NULL,
    -- Counters advanced under this row's lock inside the writing transaction: that is what
    -- makes seq gapless and ordered (a rolled-back insert also rolls back its increment).
    last_seq   bigint NOT NULL DEFAULT 0,
    last_rev   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX topics_by_party ON topics (party_id, position);
CREATE UNIQUE INDEX topic_names_unique ON topics (party_id, lower(name));

CREATE TABLE messages (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    topic_id      uuid NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    seq           bigint NOT NULL,
    rev           bigint NOT NULL,
    author_id     uuid NOT NULL REFERENCES users(id),
    client_msg_id uuid NOT NULL,
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    edited_at     timestamptz,
    deleted_at    timestamptz,
    UNIQUE (topic_id, seq),
    -- A retried send finds the original through this.
    UNIQUE (author_id, client_msg_id)
);
CREATE INDEX messages_by_rev ON messages (topic_id, rev);

-- The change log: one row per event, written in the same transaction as the change.
-- Connected clients get these in id order; a new connection's snapshot says which id it covers.
CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    party_id   uuid NOT NULL,
    kind       text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_time ON events (created_at);

-- Keys that sign access tokens. The newest signs; all unexpired ones verify.
CREATE TABLE signing_keys (
    kid        text PRIMARY KEY,
    secret     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are stored only as SHA-256 hashes. A family is one sign-in; every refresh
-- spends a token and issues the next in the same family.
CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id  uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
