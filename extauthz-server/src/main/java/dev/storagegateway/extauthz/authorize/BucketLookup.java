package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.registry.Bucket;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The registry as the data plane reads it: the replicated registry in production, a map in tests.
 * Both reads are local; neither touches the network.
 */
public interface BucketLookup {
  /** Step 3: the bucket a request names. */
  Optional<Bucket> find(String name);

  /** Every registered bucket, suspended ones included, in no particular order: for ListBuckets. */
  Collection<Bucket> all();

  /**
   * A number that grows with every change to the registry, read before {@link #all()}; empty
   * when this lookup cannot tell (a plain map), and then nothing derived from it is kept.
   */
  OptionalLong version();

  /** A live view of {@code buckets} (name to bucket), which the caller may keep changing. */
  static BucketLookup of(Map<String, Bucket> buckets) {
    return new BucketLookup() {
      @Override
      public Optional<Bucket> find(String name) {
        return Optional.ofNullable(buckets.get(name));
      }

      @Override
      public Collection<Bucket> all() {
        return Collections.unmodifiableCollection(buckets.values());
      }

      @Override
      public OptionalLong version() {
        return OptionalLong.empty();
      }
    };
  }
}
