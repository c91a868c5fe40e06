-- Sessions a person can list and revoke one by one, with an idle timeout (docs/accounts.md).
--   public_id      an opaque random ID a session list shows and DELETE /api/me/sessions/{id} takes:
--                  never the token or its hash. Rows from before get one here.
--   last_seen_at   when the session was last used (written at most once a minute per session);
--                  rows from before count from now, so the upgrade itself ends no session.
--   device         a short label from the User-Agent ("Chrome on Linux"), client_address the client's address.
-- Engine-specific only for the backfill's random ID and clock.
ALTER TABLE sessions ADD COLUMN public_id TEXT NULL;
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NULL;
ALTER TABLE sessions ADD COLUMN device TEXT NULL;
ALTER TABLE sessions ADD COLUMN client_address TEXT NULL;
UPDATE sessions SET public_id = lower(hex(randomblob(12))) WHERE public_id IS NULL;
UPDATE sessions SET last_seen_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE last_seen_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ix_sessions_public_id ON sessions (public_id);
