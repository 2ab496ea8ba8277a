-- New messages get ids in time order (the UUID version 7 layout of RFC 9562: 48 bits of Unix
-- milliseconds, then random bits), so that each insert lands at the right edge of the primary
-- key's index. With random (version 4) ids every insert touched a random page of an index that,
-- at ten million messages, is several times the size of shared_buffers: a read from outside
-- the cache, and after each checkpoint a full-page image in the WAL, for every message.
-- Existing ids stay as they are; ids are still unguessable (74 random bits), and nothing
-- orders by them.
CREATE FUNCTION chatterbox_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),   -- version 4 (0100) becomes 7 (0111)
        'hex')::uuid
$$;

ALTER TABLE messages ALTER COLUMN id SET DEFAULT chatterbox_uuid_v7();
