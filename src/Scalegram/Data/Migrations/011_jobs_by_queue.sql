-- Each queue's workers claim only their own queue's due jobs (Messaging/EmbeddedQueue): with the index on
-- (state, run_after) alone, a social worker's claim would step over every due photo job of a backlog first.
CREATE INDEX IF NOT EXISTS ix_jobs_queue_due ON jobs (queue, state, run_after);
