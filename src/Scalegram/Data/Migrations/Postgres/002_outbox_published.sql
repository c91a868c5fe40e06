-- The RabbitMQ transport relays jobs out of this table (the outbox): a row moves from 'ready'
-- to 'published' once the broker confirmed it, and is deleted after a retention period.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS published_at BIGINT NULL;
