package dev.storagegateway.extauthz.authorize;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.PrefixBinding;
import java.util.Optional;

/**
 * Which Arborist resource guards an object: the bucket's prefix binding with the longest prefix
 * of the object's key; the binding with the empty prefix covers the whole bucket.
 */
public final class ResourcePaths {
  private ResourcePaths() {
  }

  /**
   * @param keyOrPrefix an object key, a listing prefix, or {@code ""} for the bucket itself
   * @return the resource path, or empty when no binding covers it
   */
  public static Optional<String> resourceFor(Bucket bucket, String keyOrPrefix) {
    return PrefixBinding.governing(bucket.prefixBindings(), keyOrPrefix)
        .map(PrefixBinding::resourcePath);
  }
}
