package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;

/**
 * A service account's token or key serves gcp buckets only: the registry keeps only their
 * endpoints to Google's hosts, and any other bucket's endpoint could be a host that replays the
 * token against Google. A secret holding a service-account key on another provider's bucket is an
 * administrator's mistake, answered as such.
 */
public final class GoogleTokenUse {
  private GoogleTokenUse() {
  }

  /** @throws CheckDenied unless {@code bucket} is a gcp bucket */
  public static void requireGcp(Bucket bucket) {
    if (bucket.provider() != Provider.GCP) {
      throw new CheckDenied(DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name()
          + "' is registered as " + bucket.provider().wireName() + " but its secret holds a"
          + " Google service-account key, which serves gcp buckets only: an administrator must"
          + " register it as gcp");
    }
  }
}
