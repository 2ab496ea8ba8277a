-- Replies, reactions, pinned messages and the earlier texts of edited messages.

-- The message a reply answers, in the same topic. No foreign key: messages are never removed
-- one by one (a deleted message stays as a tombstone), and a topic takes both along.
ALTER TABLE messages ADD COLUMN reply_to_id uuid;
ALTER TABLE messages ADD COLUMN pinned_at timestamptz;
ALTER TABLE messages ADD COLUMN pinned_by uuid REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX messages_pinned ON messages (topic_id, pinned_at) WHERE pinned_at IS NOT NULL;
-- Kept by pin and unpin under the topic's row lock, so that the header's count costs nothing.
ALTER TABLE topics ADD COLUMN pinned_count integer NOT NULL DEFAULT 0;

CREATE TABLE message_reactions (
    message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    emoji      text NOT NULL,
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (message_id, emoji, user_id)
);

-- What an edited message said before, one row per edit; erased with the message's text.
CREATE TABLE message_versions (
    message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    version    integer NOT NULL,
    body       text NOT NULL,
    written_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, version)
);

-- Deleting a message erases its text from the change log's stored payloads too: the events
-- that carry the message, and those of replies that quote it.
CREATE INDEX events_by_message ON events ((payload->'message'->>'id')) WHERE payload ? 'message';
CREATE INDEX events_by_reply_to ON events ((payload->'message'->'replyTo'->>'messageId'))
    WHERE payload->'message' ? 'replyTo';
