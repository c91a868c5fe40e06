-- Private accounts (docs/privacy.md). Written once for both engines.
--   account_privacy   one row per account that ever chose; no row = public. On the user's shard.
--   follow_requests   pending requests to follow a private account, on the owner's (followee's)
--                     shard: the owner lists them; approving turns one into a follow edge.
--   media_signing_keys  the key signed media URLs are made with when Cdn:SigningKey is not set:
--                     generated once and shared by every node through the directory store.
CREATE TABLE IF NOT EXISTS account_privacy (
    user_id    BIGINT  PRIMARY KEY,
    is_private BOOLEAN NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS follow_requests (
    user_id      BIGINT NOT NULL,
    requester_id BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, requester_id)
);

CREATE TABLE IF NOT EXISTS media_signing_keys (
    name       TEXT   PRIMARY KEY,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
