-- Write keys (Data/WriteKeys.cs): the Idempotency-Key of the request that created a resource, stored on
-- the resource's own store in the resource's own transaction. The web tier's idempotency_keys row lives
-- elsewhere (the user's store) and is recorded after the commit, so a commit whose answer was lost (a
-- failover, a crash) could otherwise be run again by the retry; this row makes the retry find the
-- resource the first run created instead of creating a second one. Swept after 24 h like the keys.
CREATE TABLE IF NOT EXISTS write_keys (
    scope       TEXT   NOT NULL,
    idem_key    TEXT   NOT NULL,
    resource_id BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS ix_write_keys_created ON write_keys (created_at);
