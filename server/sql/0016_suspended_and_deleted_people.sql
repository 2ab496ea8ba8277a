-- An operator's decisions about a person (chatterbox-server admin): suspended (signed out
-- everywhere, no new sign-in) and deleted (what they wrote is gone, the row stays as the
-- author of the tombstones, named "Deleted person", with no way to sign in to it).
ALTER TABLE users ADD COLUMN suspended_at timestamptz;
ALTER TABLE users ADD COLUMN suspended_reason text;
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
