package dev.storagegateway.extauthz.sign;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.registry.StorageEndpoint;
import java.util.Map;

/**
 * The {@code Host} the upstream will receive, which the signature must cover. The route's
 * {@code upstream_host} wins (Envoy rewrites the host to it after the check); otherwise the
 * bucket's {@link StorageEndpoint}, the same the control plane routes to.
 */
public final class UpstreamHost {
  private UpstreamHost() {
  }

  public static String of(Bucket bucket, Map<String, String> routeSettings) {
    String routed = routeSettings.get(RouteSettings.UPSTREAM_HOST);
    if (routed != null && !routed.isBlank()) {
      return routed;
    }
    return StorageEndpoint.of(bucket).authority();
  }

  /** The host of {@code authority}, without its port. */
  static String hostName(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > 0 && authority.indexOf(']') < colon
        ? authority.substring(0, colon) : authority;
  }
}
