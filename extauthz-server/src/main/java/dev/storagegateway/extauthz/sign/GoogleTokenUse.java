package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import dev.storagegateway.registry.address.ReachableAddresses;

/**
 * Where a service account's token may go with a request: to a gcp bucket's storage on Google's
 * hosts. The registry keeps gcp endpoints there, but the registry cluster trusts its network, so
 * the data plane holds an entry it did not check to the same rule before handing the token on:
 * any other host could replay it against Google. Only where an operator allowed internal ranges
 * (an emulator, {@code --allow-endpoint-cidr}) may the host be another; a name cannot be judged
 * without a lookup, which a Check does not make.
 *
 * <p>A secret holding a service-account key on another provider's bucket is an administrator's
 * mistake, answered as such.
 */
public final class GoogleTokenUse {
  private final boolean otherHostsAllowed;

  /** @param storageAddresses where the storage may be: with allowed ranges, emulators too */
  public GoogleTokenUse(ReachableAddresses storageAddresses) {
    this.otherHostsAllowed = !storageAddresses.allowedRanges().isEmpty();
  }

  /**
   * @param upstreamAuthority the host (and port) the request is sent to
   * @throws CheckDenied unless {@code bucket} is a gcp bucket whose storage is Google's
   */
  void require(Bucket bucket, String upstreamAuthority) {
    requireGcp(bucket);
    if (!otherHostsAllowed && !StorageEndpoint.isGoogleHost(
        UpstreamHost.hostName(upstreamAuthority))) {
      throw new CheckDenied(DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name()
          + "' would send its service account's token to a host that is not Google's; the"
          + " registry refuses such an endpoint, so an administrator must look at this entry");
    }
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
