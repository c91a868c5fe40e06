-- Deleting an account (docs/privacy.md). Numbered 012 to leave room for migrations written in parallel.
--   users.deleted_at              set when the owner deletes the account: from then on it is gone for
--                                 every read; the account.delete job removes the rest and then the row.
--   username_directory.released_at  NULL while the name belongs to a live account; once the account is
--                                 deleted, when its quarantine ends and the name may be claimed again.
-- The indexes let the deletion job find, in batches, what a user left on other users' shards.
ALTER TABLE users ADD COLUMN IF NOT EXISTS deleted_at BIGINT NULL;
ALTER TABLE username_directory ADD COLUMN IF NOT EXISTS released_at BIGINT NULL;
CREATE INDEX IF NOT EXISTS ix_likes_user ON likes (user_id);
CREATE INDEX IF NOT EXISTS ix_comments_author ON comments (author_id);
CREATE INDEX IF NOT EXISTS ix_timeline_owner_only ON timeline (owner_id);
CREATE INDEX IF NOT EXISTS ix_following_followee ON following (followee_id);
CREATE INDEX IF NOT EXISTS ix_followers_follower ON followers (follower_id);
CREATE INDEX IF NOT EXISTS ix_follow_requests_requester ON follow_requests (requester_id);
