package dev.storagegateway.extauthz.check;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storagegateway.extauthz.parse.Quoted;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.registry.StorageEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After authorization, as it says where the bucket is stored: the request must be on its way to
 * the bucket's own storage, or its credentials would go to another (a Google token good on every
 * bucket of its service account, a signature good at the bucket's real host). Refused before the
 * credentials are looked up:
 * <ul>
 *   <li>gRPC: a bucket not stored at the route's {@link RouteSettings#UPSTREAM_HOST}. The control
 *       plane's routes name each bucket's own storage; the static bootstrap's catch-all route
 *       names its one storage for every bucket. Every check from a route that names none: Envoy
 *       sends the request to the route's cluster, which the gateway cannot see.
 *   <li>HTTP modes: a bucket not stored where the proxy forwards
 *       ({@link RouteSettings#FORWARDS_TO}, from the gateway's {@link ProxyForwarding} or the
 *       proxy's header); every check when the proxy does not say, or says otherwise than the
 *       gateway's setting.
 * </ul>
 *
 * <p>The caller's refusal names neither storage (clients need not learn the hosts behind the
 * proxy); the operator's log names both, once a minute per bucket, since a mismatch is a
 * deployment mistake that refuses every request to that bucket.
 */
final class ForwardedStorage {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardedStorage.class);
  /** Log keys apart from the bucket names, which are never empty and never hold '/'. */
  private static final String NOT_SAID = "";
  private static final String DISPUTED = "/";
  private static final String NOT_ROUTED = "//";

  private final OncePerMinute logged = new OncePerMinute();
  /** Registered endpoints parsed once, upkeep on the calling thread (ADR 0012). */
  private final Cache<String, StorageEndpoint> endpoints = Caffeine.newBuilder()
      .executor(Runnable::run).maximumSize(10_000).build();

  void require(IncomingRequest request, Bucket bucket) {
    String disputed = request.routeSettings().get(RouteSettings.PROXY_SAYS_FORWARDS_TO);
    if (disputed != null) {
      if (logged.first(DISPUTED)) {
        LOG.warn("Refusing a check whose proxy says it forwards to {} (x-gateway-forwards-to):"
            + " this gateway is set to forward to {} (--http-forwards-to); make the two agree."
            + " nginx without the header's proxy_set_header line passes a client's own (logged"
            + " once a minute)", Quoted.of(disputed),
            request.routeSettings().get(RouteSettings.FORWARDS_TO));
      }
      throw CheckDenied.proxyMisconfigured();
    }
    String upstreamHost = request.routeSettings().get(RouteSettings.UPSTREAM_HOST);
    String forwardsTo = request.routeSettings().get(RouteSettings.FORWARDS_TO);
    if (upstreamHost != null && !upstreamHost.isBlank()) {
      if (!isStoredAt(bucket, upstreamHost)) {
        refuse(bucket, upstreamHost, request.routeSettings().containsKey(RouteSettings.BUCKET));
      }
    } else if (forwardsTo != null) {
      if (!forwardsTo.equalsIgnoreCase(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
          && !isStoredAt(bucket, forwardsTo)) {
        refuse(bucket, forwardsTo, false);
      }
    } else if (Delivery.of(request) == Delivery.FORWARD_ONLY) {
      if (logged.first(NOT_SAID)) {
        LOG.warn("Refusing every check from a proxy that does not say where it forwards"
            + " requests: set the storage it forwards to on the gateway (--http-forwards-to,"
            + " GATEWAY_HTTP_FORWARDS_TO) or on the proxy (x-gateway-forwards-to;"
            + " deploy/nginx/README.md, envoy/README.md) (logged once a minute)");
      }
      throw CheckDenied.proxyMisconfigured();
    } else {
      if (logged.first(NOT_ROUTED)) {
        LOG.warn("Refusing every check from an Envoy route without the context extension {}:"
            + " the gateway cannot tell which storage the request goes to. The control plane's"
            + " routes and envoy/ext-authz-static.yaml set it; a route of your own must name the"
            + " storage its cluster reaches (logged once a minute)", RouteSettings.UPSTREAM_HOST);
      }
      throw CheckDenied.proxyMisconfigured();
    }
  }

  private boolean isStoredAt(Bucket bucket, String authority) {
    return storedAt(bucket).isNamedBy(authority);
  }

  private StorageEndpoint storedAt(Bucket bucket) {
    return bucket.endpoint() == null ? StorageEndpoint.of(bucket)
        : endpoints.get(bucket.endpoint(), endpoint -> StorageEndpoint.of(bucket));
  }

  /**
   * @param bucketsOwnRoute a control-plane route, made for this bucket: it names the storage the
   *     registry said when it was made, so a mismatch is an endpoint change on its way to Envoy
   *     (or to this replica), and the client is told to retry
   */
  private void refuse(Bucket bucket, String authority, boolean bucketsOwnRoute) {
    if (logged.first(bucket.name())) {
      LOG.warn(bucketsOwnRoute
          ? "Refusing bucket {} for now: it is stored at {}, and its route still sends it to {};"
              + " the control plane's update has not reached Envoy, or the registry's has not"
              + " reached this replica (logged once a minute per bucket)"
          : "Refusing bucket {}: it is stored at {}, and its requests go to {}; register the"
              + " bucket at that storage or reach it through a route or proxy to its own (logged"
              + " once a minute per bucket)",
          bucket.name(), storedAt(bucket).authority(), Quoted.of(authority));
    }
    if (bucketsOwnRoute) {
      throw new CheckDenied(DenialReason.ROUTE_OUTDATED, "the route to bucket '" + bucket.name()
          + "' is being updated; retry shortly");
    }
    throw new CheckDenied(DenialReason.BUCKET_NOT_FORWARDED_HERE, "bucket '" + bucket.name()
        + "' is not stored at the storage this endpoint forwards to; reach it through an"
        + " endpoint that forwards to its storage");
  }
}
