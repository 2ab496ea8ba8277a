-- SPDX-License-Identifier: GPL-3.0-or-later
-- Files shared in messages, stored in the database (docs/architecture.md, "Files").
--
-- A blob is the bytes, stored once per content: while it is being uploaded it belongs to one
-- upload and has no hash; once sealed it has its content hash (the SHA-256 of its pieces' offsets
-- and SHA-256s, so that sealing reads 32 bytes a piece rather than the file), and an upload that
-- ends with the same bytes, cut into the same pieces, is pointed at that blob and its own copy
-- dropped. A file is one person's
-- upload of a blob, with its name and type, attached to at most one message; who may read it
-- follows from that message's party (before it is attached: its uploader alone).

CREATE TABLE file_blobs (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sha256     bytea UNIQUE,              -- the content hash, set when sealed
    size       bigint NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The bytes in pieces as they arrived, each at its offset. Already compressed formats are the
-- rule (images, archives): PostgreSQL does not try to compress them again.
CREATE TABLE file_chunks (
    blob_id uuid NOT NULL REFERENCES file_blobs(id) ON DELETE CASCADE,
    start   bigint NOT NULL CHECK (start >= 0),
    sha256  bytea NOT NULL,               -- of data, computed by the server as the piece arrived
    data    bytea NOT NULL,
    PRIMARY KEY (blob_id, start)
);
ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE files (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- A blob is not deleted while a file names it (the sweep deletes blobs nothing names).
    blob_id      uuid NOT NULL REFERENCES file_blobs(id),
    name         text NOT NULL,
    media_type   text NOT NULL,
    size         bigint NOT NULL CHECK (size >= 0),
    received     bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
    width        integer CHECK (width > 0),
    height       integer CHECK (height > 0),
    thumbnail    bytea,                   -- made by the uploading app, a small image
    thumbnail_type text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Attached: to which message, in which party, in which place among its files.
    message_id   uuid REFERENCES messages(id) ON DELETE CASCADE,
    party_id     uuid REFERENCES parties(id) ON DELETE CASCADE,
    position     integer,
    CHECK ((message_id IS NULL) = (party_id IS NULL))
);
CREATE INDEX files_of_message ON files (message_id, position) WHERE message_id IS NOT NULL;
CREATE INDEX files_of_owner ON files (owner_id);
CREATE INDEX files_unattached ON files (created_at) WHERE message_id IS NULL;
CREATE INDEX files_of_blob ON files (blob_id);
