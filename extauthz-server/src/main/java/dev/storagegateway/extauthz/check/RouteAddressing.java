package dev.storagegateway.extauthz.check;

import dev.storagegateway.extauthz.parse.S3Request;
import dev.storagegateway.extauthz.parse.StorageRequest;
import dev.storagegateway.registry.RouteSettings;

/**
 * The data plane authorizes and signs the path the storage will receive, so it must read the
 * request as the proxy routes it. A virtual-hosted request ({@code Host: <bucket>.<domain>}) is
 * sent upstream path-style only by a route that rewrites {@code /} to {@code /<bucket>/}; any
 * other route forwards the path as sent, where its first segment names the bucket. Read
 * differently, a Host the proxy matches otherwise (a trailing dot, a domain only the data plane
 * knows) would have one object authorized and another fetched with the bucket's credentials.
 */
final class RouteAddressing {
  private RouteAddressing() {
  }

  /** @throws CheckDenied when the request's addressing is not the route's */
  static void require(IncomingRequest request, StorageRequest parsed) {
    String addressing = request.routeSettings().get(RouteSettings.ADDRESSING);
    if (RouteSettings.AS_SIGNED.equals(addressing)) {
      return;
    }
    boolean routedVirtual = RouteSettings.VIRTUAL_HOSTED.equals(addressing);
    boolean readVirtual = parsed instanceof S3Request s3 && s3.virtualHosted();
    if (readVirtual && !routedVirtual) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the Host names bucket '"
          + parsed.bucket() + "' (virtual-hosted addressing), but this proxy forwards the path"
          + " as sent; address the bucket in the path (/" + parsed.bucket() + "/<key>) or"
          + " through the host the gateway's bucket routes serve");
    }
    if (routedVirtual && !readVirtual) {
      throw new CheckDenied(DenialReason.MALFORMED_REQUEST, "the proxy routed this request to"
          + " a bucket's own host, but the data plane does not read its Host as one; its"
          + " --virtual-host-domain must match the proxy's bucket domain");
    }
  }
}
