-- V2's index served BucketStore.changedSince, which is gone: no query filters or orders by
-- updated_at any more, and the index only made every bucket write slower.
DROP INDEX IF EXISTS buckets_updated_at_idx;
