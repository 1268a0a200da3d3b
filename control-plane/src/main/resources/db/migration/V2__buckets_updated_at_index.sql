-- Every replica asks each minute for the buckets changed in the last ten minutes
-- (BucketStore.changedSince); without this index that is a scan of the whole registry.
CREATE INDEX buckets_updated_at_idx ON buckets (updated_at);
