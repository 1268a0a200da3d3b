package dev.storagegateway.extauthz.check;

/**
 * The names of the per-route settings the control plane puts in Envoy's ext_authz
 * {@code context_extensions}. When present they win over what the request itself says, because
 * the route has already decided where the request goes.
 */
public final class RouteSettings {
  /** The bucket the route serves. */
  public static final String BUCKET = "bucket";
  /**
   * The host Envoy rewrites the request to ({@code host_rewrite_literal}); the signature covers it.
   */
  public static final String UPSTREAM_HOST = "upstream_host";
  /** The bucket's provider, for a quick sanity check against the registry. */
  public static final String PROVIDER = "provider";
  /**
   * {@value #QUERY_CHANGES_UNSUPPORTED} when the proxy cannot add or replace query parameters
   * (Envoy's {@code http_service}); the HTTP check server sets it itself. A request that would
   * need that is refused with what to send instead. Dropping parameters is a separate capability
   * ({@link #DROPS_QUERY_PARAMETERS}).
   */
  public static final String QUERY_CHANGES = "query_changes";
  public static final String QUERY_CHANGES_UNSUPPORTED = "unsupported";

  /**
   * {@code "false"} when the proxy cannot drop query parameters from the request it forwards
   * (Envoy's {@code http_service}): presigned requests are then refused, since their credentials
   * would reach the upstream. Set by the HTTP check server for that mode.
   */
  public static final String DROPS_QUERY_PARAMETERS = "drops_query_parameters";

  private RouteSettings() {
  }
}
