-- Idempotency-Key records (web tier, Web/Idempotency): one row per (scope, key). The insert is the
-- claim, so the primary key is what lets exactly one of several nodes run a request. A row is in
-- progress while response_status is NULL (its owner renews locked_until); once finished it holds the
-- answer to replay until expires_at (24 h after the claim). A signed-in user's keys live on the store
-- of the user's shard, anonymous sign-up keys on the directory store.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope           TEXT   NOT NULL,
    idem_key        TEXT   NOT NULL,
    owner           TEXT   NOT NULL,
    fingerprint     TEXT   NULL,
    response_status BIGINT NULL,
    content_type    TEXT   NULL,
    location        TEXT   NULL,
    body            TEXT   NULL,
    created_at      BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS ix_idempotency_keys_expires ON idempotency_keys (expires_at);
