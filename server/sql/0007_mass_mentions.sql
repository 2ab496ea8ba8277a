-- @everyone and @here: who may use them in a party, what a message used, and which of its
-- mention rows they added (so that a message's own list stays the people it names).

ALTER TABLE parties ADD COLUMN mass_mentions text NOT NULL DEFAULT 'admins' CHECK (mass_mentions IN ('admins', 'members'));
ALTER TABLE messages ADD COLUMN mass_mention text CHECK (mass_mention IN ('here', 'everyone'));
ALTER TABLE message_mentions ADD COLUMN mass boolean NOT NULL DEFAULT false;
