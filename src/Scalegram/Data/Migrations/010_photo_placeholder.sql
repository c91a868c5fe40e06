-- A tiny preview per photo (docs/photo-pipeline.md): a data: URL of a 16 px WebP, written by the
-- worker when the photo turns ready. Null for photos processed before it existed. Both engines.
ALTER TABLE photos ADD COLUMN placeholder TEXT;
