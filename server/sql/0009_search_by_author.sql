-- SPDX-License-Identifier: GPL-3.0-or-later
-- Search, second version (docs/architecture.md, "Search"; docs/performance.md, "Search").
--
-- The search index also holds each message's author, so that from: narrows inside the index
-- instead of on every message the words match (a phrase of two common words has hundreds of
-- thousands of those). A GIN index on several columns serves a condition on any of them, so
-- this one index replaces messages_search: searches without from: use its words alone, and a
-- send still writes one search index. btree_gin is what lets GIN hold a uuid; like unaccent it
-- is a trusted extension that the database's owner may create.
--
-- Building it reads every stored vector once: about 90 seconds for 10 million messages on a
-- small machine, during which sends wait (docs/operating.md, "Upgrading").
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX messages_search_by_author ON messages USING gin (author_id, search_vector) WHERE search_vector IS NOT NULL;
DROP INDEX messages_search;


-- from: walks the author's messages newest first instead of the person's topics when the
-- author wrote fewer messages than the topics hold (from:me, or a phrase of common words).
CREATE INDEX messages_by_author_time ON messages (author_id, created_at) WHERE deleted_at IS NULL;
