package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.registry.Bucket;
import java.util.Optional;

/** Where step 3 finds buckets: the replicated registry in production, a map in tests. */
@FunctionalInterface
public interface BucketLookup {
  Optional<Bucket> find(String name);
}
