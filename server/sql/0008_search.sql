-- Full-text search over message bodies (docs/architecture.md, "Search").
--
-- Words are split by PostgreSQL's parser, then lower-cased and stripped of accents
-- ('simple' with 'unaccent': no stemming, no stop words, so every language is treated alike and
-- a prefix typed is a prefix of a word as written). Japanese and Chinese write no spaces between
-- words; their characters are indexed one by one, and a query's run of them matches as a phrase
-- of those characters, so a word is found inside a sentence.
--
-- unaccent is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION chatterbox_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION chatterbox_search
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple;

-- The functions name what they use with the schema they are created in: an index expression is
-- also evaluated where the search path is empty (pg_restore), and these are inlined, so they
-- cannot carry a search_path setting of their own.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION chatterbox_search_text(body text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS 'SELECT regexp_replace(body, ''([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f])'', '' \1 '', ''g'')'
    $f$);
    EXECUTE format('CREATE FUNCTION chatterbox_search_vector(body text) RETURNS tsvector'
                   ' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
                   format('SELECT to_tsvector(%L::regconfig, %I.chatterbox_search_text(body))',
                          current_schema() || '.chatterbox_search', current_schema()));
    -- A message's vector: its words, and its topic as a lexeme no text can produce and no
    -- prefix can reach (it begins with a space), so that the index finds the matches of a
    -- person's topics alone.
    EXECUTE format('CREATE FUNCTION chatterbox_message_vector(body text, topic_id uuid) RETURNS tsvector'
                   ' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
                   format('SELECT %I.chatterbox_search_vector(body) || array_to_tsvector(ARRAY['' topic '' || topic_id::text])',
                          current_schema()));
END
$$;

-- Each message's words, kept beside it: a search reads them instead of parsing every body it
-- looks at (a body parses in about 6 µs; a stored vector matches in a fraction of that).
-- Rows written from now on get theirs from the trigger. Rows already there get theirs from the
-- server in the background, newest first, in small batches (server/db/searchbackfill.cpp), so
-- that this migration is quick on a database of any size and the table is never locked for long.
ALTER TABLE messages ADD COLUMN search_vector tsvector;

CREATE FUNCTION chatterbox_messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deleted messages are never found (and their text is erased anyway).
    NEW.search_vector := CASE WHEN NEW.deleted_at IS NULL THEN chatterbox_message_vector(NEW.body, NEW.topic_id) END;
    RETURN NEW;
END
$$;
CREATE TRIGGER messages_search_vector BEFORE INSERT OR UPDATE OF body, deleted_at ON messages
    FOR EACH ROW EXECUTE FUNCTION chatterbox_messages_search_vector();

CREATE INDEX messages_search ON messages USING gin (search_vector) WHERE search_vector IS NOT NULL;
-- Newest first in a person's topics, a stretch of time at a time (keyset on time, then id).
CREATE INDEX messages_by_topic_time ON messages (topic_id, created_at, id) WHERE deleted_at IS NULL;
-- What the background backfill has still to do; empty once it is done.
CREATE INDEX messages_unsearchable ON messages (created_at) WHERE search_vector IS NULL AND deleted_at IS NULL;
-- from:name
CREATE INDEX users_by_name ON users (lower(display_name));
