package dev.storagegateway.extauthz.sign;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header that accepts the charges of a requester-pays bucket on the gateway's side:
 * {@code x-amz-request-payer: requester} for S3, {@code x-goog-user-project: <project>} for
 * Cloud Storage's XML API. A client's own value of either never reaches the upstream: the
 * gateway's credentials pay, so the gateway decides.
 */
public final class RequesterPaysHeader {
  public static final String AMAZON = "x-amz-request-payer";
  static final String GOOGLE = "x-goog-user-project";
  static final List<String> NAMES = List.of(AMAZON, GOOGLE);

  private RequesterPaysHeader() {
  }

  /** The header to send, or empty when the bucket is not requester-pays. */
  public static Optional<Map.Entry<String, String>> of(Bucket bucket) {
    if (!bucket.requesterPays()) {
      return Optional.empty();
    }
    return Optional.of(bucket.provider() == Provider.GCP
        ? Map.entry(GOOGLE, BillingProject.require(bucket))
        : Map.entry(AMAZON, "requester"));
  }
}
