-- Written once for both engines. Every integer is BIGINT (IDs are 64-bit and Dapper maps rows to
-- long exactly); is_admin is BOOLEAN because the app binds a bool. On SQLite the migrator spells
-- "BIGINT PRIMARY KEY" as "INTEGER PRIMARY KEY", the only spelling that makes the column the rowid.
-- Everything a user owns lives on the store of the user's logical shard; the username
-- directory and sessions are global and live on the directory store (store 0).
CREATE TABLE IF NOT EXISTS users (
    id            BIGINT PRIMARY KEY,
    username      TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS username_directory (
    username_key TEXT    PRIMARY KEY,
    user_id      BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT NULL
);
CREATE INDEX IF NOT EXISTS ix_sessions_user ON sessions (user_id);

CREATE TABLE IF NOT EXISTS photos (
    id             BIGINT PRIMARY KEY,
    owner_id       BIGINT NOT NULL,
    caption        TEXT    NOT NULL,
    filter         TEXT    NULL,
    crop           TEXT    NULL,
    status         TEXT    NOT NULL,
    failure_reason TEXT    NULL,
    original_key   TEXT    NOT NULL,
    variants       TEXT    NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_photos_owner ON photos (owner_id, id);

CREATE TABLE IF NOT EXISTS following (
    user_id     BIGINT NOT NULL,
    followee_id BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, followee_id)
);

CREATE TABLE IF NOT EXISTS followers (
    user_id     BIGINT NOT NULL,
    follower_id BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, follower_id)
);

CREATE TABLE IF NOT EXISTS likes (
    photo_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (photo_id, user_id)
);

CREATE TABLE IF NOT EXISTS comments (
    id         BIGINT PRIMARY KEY,
    photo_id   BIGINT NOT NULL,
    author_id  BIGINT NOT NULL,
    text       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_comments_photo ON comments (photo_id, id);

CREATE TABLE IF NOT EXISTS timeline (
    user_id  BIGINT NOT NULL,
    photo_id BIGINT NOT NULL,
    owner_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, photo_id)
);
CREATE INDEX IF NOT EXISTS ix_timeline_owner ON timeline (user_id, owner_id);

CREATE TABLE IF NOT EXISTS jobs (
    id           BIGINT PRIMARY KEY,
    queue        TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    run_after    BIGINT NOT NULL,
    lease_until  BIGINT NULL,
    leased_by    TEXT    NULL,
    last_error   TEXT    NULL,
    trace_parent TEXT    NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_jobs_due ON jobs (state, run_after);
