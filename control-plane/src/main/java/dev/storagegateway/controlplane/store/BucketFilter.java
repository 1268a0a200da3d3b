package dev.storagegateway.controlplane.store;

import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;

/** Optional criteria of a bucket listing; a null field does not filter. */
public record BucketFilter(BucketStatus status, Provider provider, String ownerProject) {
  public static BucketFilter none() {
    return new BucketFilter(null, null, null);
  }
}
