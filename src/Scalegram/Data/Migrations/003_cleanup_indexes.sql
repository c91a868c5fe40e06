-- Deleting a photo removes it from timelines by photo_id (the key is user_id, photo_id), and the
-- session sweep deletes by expiry and revocation time: without these, each scans its whole table.
CREATE INDEX IF NOT EXISTS ix_timeline_photo ON timeline (photo_id);
CREATE INDEX IF NOT EXISTS ix_sessions_expires ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS ix_sessions_revoked ON sessions (revoked_at);
