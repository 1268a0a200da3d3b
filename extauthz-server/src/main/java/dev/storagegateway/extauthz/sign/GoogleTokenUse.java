package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.CheckDenied;
import dev.storagegateway.extauthz.check.DenialReason;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import dev.storagegateway.registry.address.IpAddresses;
import dev.storagegateway.registry.address.ReachableAddresses;

/**
 * Where a service account's token may go with a request: to a gcp bucket's storage on Google's
 * hosts. The registry keeps gcp endpoints there, but the registry cluster trusts its network, so
 * the data plane holds an entry it did not check to the same rule before handing the token on:
 * any other host could replay it against Google. Besides Google's hosts, only an address inside
 * a range an operator allowed ({@code --allow-endpoint-cidr}, for an emulator) is taken; a name
 * cannot be judged without a lookup, which a Check does not make.
 *
 * <p>A secret holding a service-account key on another provider's bucket is an administrator's
 * mistake, answered as such.
 */
public final class GoogleTokenUse {
  private final ReachableAddresses storageAddresses;

  /** @param storageAddresses where the storage may be; their allowed ranges admit emulators */
  public GoogleTokenUse(ReachableAddresses storageAddresses) {
    this.storageAddresses = storageAddresses;
  }

  /**
   * @param upstreamAuthority the host (and port) the request is sent to
   * @throws CheckDenied unless {@code bucket} is a gcp bucket whose storage is Google's or at an
   *     address an operator allowed
   */
  void require(Bucket bucket, String upstreamAuthority) {
    requireGcp(bucket);
    String host = UpstreamHost.hostName(upstreamAuthority);
    if (!StorageEndpoint.isGoogleHost(host) && !operatorAllowed(host)) {
      throw new CheckDenied(DenialReason.BUCKET_MISCONFIGURED, "bucket '" + bucket.name()
          + "' would send its service account's token to a host that is not Google's; the"
          + " registry refuses such an endpoint, so an administrator must look at this entry");
    }
  }

  private boolean operatorAllowed(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return IpAddresses.parseLiteral(bare).filter(storageAddresses::inAllowedRange).isPresent();
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
