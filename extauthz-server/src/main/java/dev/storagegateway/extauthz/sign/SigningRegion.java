package dev.storagegateway.extauthz.sign;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;

/**
 * The region a bucket's SigV4 signatures name, on the Check path and in presigned URLs alike.
 * Cloud Storage's XML API takes {@code auto} whatever the bucket's location (Gen3 scopes its
 * Cloud Storage URLs to {@code auto} too); S3 wants the bucket's region, us-east-1 when the
 * registry names none, as the default endpoint does.
 */
public final class SigningRegion {
  private static final String DEFAULT_REGION = "us-east-1";
  private static final String GCS_REGION = "auto";

  private SigningRegion() {
  }

  public static String of(Bucket bucket) {
    if (bucket.provider() == Provider.GCP) {
      return GCS_REGION;
    }
    return bucket.region() == null ? DEFAULT_REGION : bucket.region();
  }
}
