package dev.storagegateway.extauthz.presign;

import dev.storagegateway.extauthz.sign.BillingProject;
import dev.storagegateway.extauthz.sign.GcsJsonSigner;
import dev.storagegateway.extauthz.sign.RequesterPaysHeader;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.util.Map;
import java.util.Optional;

/**
 * How a presigned URL accepts the charges of a requester-pays bucket: in its signed query, since
 * whoever holds the URL sends no headers of the gateway's. S3 reads
 * {@code x-amz-request-payer=requester} there, Cloud Storage's XML API {@code userProject}, the
 * project the gateway bills ({@link BillingProject}).
 */
final class RequesterPaysQuery {
  private RequesterPaysQuery() {
  }

  /** The parameter to sign into the URL, or empty when the bucket is not requester-pays. */
  static Optional<Map.Entry<String, String>> of(Bucket bucket) {
    if (!bucket.requesterPays()) {
      return Optional.empty();
    }
    return Optional.of(bucket.provider() == Provider.GCP
        ? Map.entry(GcsJsonSigner.USER_PROJECT, BillingProject.require(bucket))
        : Map.entry(RequesterPaysHeader.AMAZON, "requester"));
  }
}
