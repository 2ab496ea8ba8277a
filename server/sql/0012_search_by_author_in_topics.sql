-- SPDX-License-Identifier: GPL-3.0-or-later
-- Search, third version (docs/performance.md, "Search").
--
-- from: walks the author's messages newest first where they are fewer than the person's topics
-- hold. By (author_id, created_at) that walk read the author's messages of every party, a tenth
-- of them in the person's for a member of 20 of 200, and checked the topic of each on the table.
-- With the topic in the index, a stretch of time reads the author's messages of those topics
-- alone (one range of the index per topic). It replaces the index before it: every use of that
-- one names topics too, so a send still writes one index for it.
--
-- Building it reads the table once: about a minute for 10 million messages on a small machine,
-- during which sends wait (docs/operating.md, "Upgrading").
CREATE INDEX messages_by_author_topic_time ON messages (author_id, topic_id, created_at) WHERE deleted_at IS NULL;
DROP INDEX messages_by_author_time;
