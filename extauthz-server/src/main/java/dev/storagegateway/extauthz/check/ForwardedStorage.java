package dev.storagegateway.extauthz.check;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After authorization, as it says where the bucket is stored: a proxy that forwards every allowed
 * request to one storage ({@link RouteSettings#FORWARDS_TO}: a static HTTP-mode proxy, or the
 * static Envoy bootstrap's catch-all gRPC route) has a bucket stored elsewhere refused before its
 * credentials are looked up. The control plane's routes need nothing: each sends its bucket to
 * the bucket's own storage.
 *
 * <p>The caller's refusal names neither storage (clients need not learn the hosts behind the
 * proxy); the operator's log names both, once a minute per bucket, since a mismatch is a
 * deployment mistake that refuses every request to that bucket.
 */
final class ForwardedStorage {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardedStorage.class);
  /** Log keys apart from the bucket names, which are never empty. */
  private static final String NOT_SAID = "";
  private static final String DISPUTED = "/";
  private static final Cache<String, Boolean> RECENTLY_LOGGED = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

  private ForwardedStorage() {
  }

  static void require(IncomingRequest request, Bucket bucket) {
    String disputed = request.routeSettings().get(RouteSettings.PROXY_SAYS_FORWARDS_TO);
    if (disputed != null) {
      if (firstThisMinute(DISPUTED)) {
        LOG.warn("Refusing every check from a proxy that says it forwards to \"{}\""
            + " (x-gateway-forwards-to): this gateway is set to forward to {}"
            + " (--http-forwards-to); make the two agree. A proxy that does not set the header"
            + " passes a client's own (logged once a minute)", printable(disputed),
            request.routeSettings().get(RouteSettings.FORWARDS_TO));
      }
      throw misconfiguredProxy();
    }
    String forwardsTo = request.routeSettings().get(RouteSettings.FORWARDS_TO);
    if (forwardsTo == null) {
      if (Delivery.of(request) == Delivery.FORWARD_ONLY) {
        if (firstThisMinute(NOT_SAID)) {
          LOG.warn("Refusing every check from a proxy that does not say where it forwards"
              + " requests: set the storage it forwards to on the gateway (--http-forwards-to,"
              + " GATEWAY_HTTP_FORWARDS_TO) or on the proxy (x-gateway-forwards-to;"
              + " deploy/nginx/README.md, envoy/README.md) (logged once a minute)");
        }
        throw misconfiguredProxy();
      }
      return;
    }
    StorageEndpoint storedAt = StorageEndpoint.of(bucket);
    if (forwardsTo.equalsIgnoreCase(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        || storedAt.isNamedBy(forwardsTo)) {
      return;
    }
    if (firstThisMinute(bucket.name())) {
      LOG.warn("Refusing bucket {}: it is stored at {}, and the proxy says it forwards to \"{}\""
          + " (x-gateway-forwards-to); register the bucket at that storage or reach it through a"
          + " proxy that forwards to its own (logged once a minute per bucket)", bucket.name(),
          storedAt.authority(), printable(forwardsTo));
    }
    throw new CheckDenied(DenialReason.BUCKET_NOT_FORWARDED_HERE, "bucket '" + bucket.name()
        + "' is not stored at the storage this endpoint forwards to; reach it through an"
        + " endpoint that forwards to its storage");
  }

  /**
   * The caller learns only that the proxy is at fault: how it is configured, and the header a
   * client could write to a proxy that passes it, are for its operator's log.
   */
  private static CheckDenied misconfiguredProxy() {
    return new CheckDenied(DenialReason.PROXY_MISCONFIGURED, "the proxy in front of the storage"
        + " is not configured as the gateway requires, so no credentials are sent; its operator"
        + " finds why in the gateway's log");
  }

  private static boolean firstThisMinute(String key) {
    return RECENTLY_LOGGED.asMap().putIfAbsent(key, Boolean.TRUE) == null;
  }

  /** The header is the proxy's, but a proxy that passes a client's own passes any text. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), 255));
    for (int i = 0; i < value.length() && i < 255; i++) {
      char c = value.charAt(i);
      out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
    }
    return out.toString();
  }
}
