package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.sign.SigningRegion;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Where a bucket's S3 requests go and the region they are signed for: the same endpoint the
 * proxy routes to ({@link StorageEndpoint}), addressed path-style so that any S3-compatible store
 * and any bucket name work.
 */
record S3Target(URI endpoint, Region region) {

  static S3Target of(Bucket bucket) {
    return new S3Target(URI.create(StorageEndpoint.of(bucket).url()),
        Region.of(SigningRegion.of(bucket)));
  }

  /** The object's plain URL, for a public bucket: path-style, the key encoded as S3 expects. */
  String plainUrl(String bucket, String key) {
    return endpoint + "/" + bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
  }
}
