package dev.storagegateway.extauthz.sign;

import dev.storagegateway.extauthz.check.RouteSettings;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import java.net.URI;
import java.util.Map;

/**
 * The {@code Host} the upstream will receive, which the signature must cover. The route's
 * {@code upstream_host} wins (Envoy rewrites the host to it after the check); otherwise the
 * bucket's endpoint, or the provider's public endpoint for the bucket's region.
 */
public final class UpstreamHost {
  private UpstreamHost() {
  }

  public static String of(Bucket bucket, Map<String, String> routeSettings) {
    String routed = routeSettings.get(RouteSettings.UPSTREAM_HOST);
    if (routed != null && !routed.isBlank()) {
      return routed;
    }
    if (bucket.endpoint() != null) {
      return authorityOf(URI.create(bucket.endpoint()));
    }
    if (bucket.provider() == Provider.GCP) {
      return "storage.googleapis.com";
    }
    return "s3." + (bucket.region() == null ? "us-east-1" : bucket.region()) + ".amazonaws.com";
  }

  private static String authorityOf(URI endpoint) {
    int port = endpoint.getPort();
    boolean defaultPort = port == -1
        || ("https".equalsIgnoreCase(endpoint.getScheme()) && port == 443)
        || ("http".equalsIgnoreCase(endpoint.getScheme()) && port == 80);
    return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }
}
