package dev.storagegateway.extauthz.answer;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;

/**
 * GetBucketLocation's answer from the registry: the bucket's region as S3 writes it, which SDKs
 * use to choose the region they sign for. S3 writes us-east-1 (and a bucket registered without a
 * region, which the gateway signs for us-east-1) as an empty element; a Cloud Storage bucket's
 * location is given as registered.
 */
public final class LocationConstraint {
  private static final String US_EAST_1 = "us-east-1";

  private LocationConstraint() {
  }

  public static String render(Bucket bucket) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + XmlText.escape(regionOf(bucket)) + "</LocationConstraint>\n";
  }

  private static String regionOf(Bucket bucket) {
    String region = bucket.region() == null ? "" : bucket.region();
    if (bucket.provider() != Provider.GCP && region.equals(US_EAST_1)) {
      return "";
    }
    return region;
  }
}
