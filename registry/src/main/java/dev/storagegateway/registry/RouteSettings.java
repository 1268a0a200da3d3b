package dev.storagegateway.registry;

/**
 * The names, and the values with a fixed meaning, of the settings a proxy's route gives the data
 * plane's check: the control plane's bucket routes put them in Envoy's ext_authz
 * {@code context_extensions}, and the data plane's HTTP check server sets those of the proxies
 * it serves. When present they win over what the request itself says, because the route has
 * already decided where the request goes.
 */
public final class RouteSettings {
  /** The bucket the route serves. */
  public static final String BUCKET = "bucket";
  /** The bucket's provider, for a quick sanity check against the registry. */
  public static final String PROVIDER = "provider";
  /**
   * The host Envoy rewrites the request to ({@code host_rewrite_literal}); the signature covers it.
   * The bucket must be stored there.
   */
  public static final String UPSTREAM_HOST = "upstream_host";
  /**
   * {@value #VIRTUAL_HOSTED} on a route that matched a bucket's own host and rewrites the path to
   * path-style before forwarding (the control plane's bucket virtual hosts): the only routes on
   * which the data plane reads a bucket from the Host. Elsewhere the proxy forwards the path as
   * the client sent it, so the path must name the bucket.
   */
  public static final String ADDRESSING = "addressing";
  public static final String VIRTUAL_HOSTED = "virtual-hosted";
  /**
   * {@value #AS_SIGNED}: the proxy forwards the target the gateway gives back (nginx), so either
   * addressing reaches the storage as signed.
   */
  public static final String AS_SIGNED = "as-signed";
  /**
   * What the proxy can do with a decision (the data plane's {@code Delivery}: forward it, answer
   * it, or both); absent means both, so Envoy's gRPC Check needs nothing set.
   */
  public static final String DELIVERY = "delivery";
  /**
   * The authority (host and port as a Host header writes them; the scheme's default port may be
   * left out) of the one storage a proxy forwards every allowed request to, whatever the
   * bucket: the static HTTP-mode proxies (nginx, Envoy's {@code http_service}) send it as
   * {@code x-gateway-forwards-to}. A bucket registered at another storage is refused before its
   * credentials are looked up: they would go with the request to this one (a Google token good
   * on every bucket of its service account, a signature good at the bucket's real host). A proxy
   * that forwards each request to the host the gateway gives back says
   * {@value #FORWARDS_TO_BUCKET_ENDPOINT} instead. The gateway's own setting wins over the
   * header. Absent from a check of those proxies, every request is refused: the gateway cannot
   * tell where credentials would go.
   */
  public static final String FORWARDS_TO = "forwards_to";
  public static final String FORWARDS_TO_BUCKET_ENDPOINT = "bucket-endpoint";
  /**
   * What a proxy's {@code x-gateway-forwards-to} says when the gateway's own setting says
   * otherwise: the proxy and the gateway disagree about where credentials would go (or a client
   * wrote the header and the proxy passed it), so every check is refused.
   */
  public static final String PROXY_SAYS_FORWARDS_TO = "proxy_says_forwards_to";
  /**
   * {@value #QUERY_CHANGES_UNSUPPORTED} when the proxy forwards the query as the client sent it,
   * unable to set or drop a parameter (Envoy's {@code http_service}); the HTTP check server sets
   * it itself. A request that would need a change is refused with what to send instead.
   */
  public static final String QUERY_CHANGES = "query_changes";
  public static final String QUERY_CHANGES_UNSUPPORTED = "unsupported";

  private RouteSettings() {}
}
