package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * The routes to the data plane's own HTTP endpoints, on its HTTP port. None is checked by
 * ext_authz: each endpoint verifies the caller's Gen3 token itself. They belong in the path-style
 * virtual host only: on a bucket's own host these paths are the bucket's keys.
 *
 * <ul>
 *   <li>The STS endpoint (AssumeRoleWithWebIdentity): {@code /_sts} and everything under it, as
 *       no bucket name starts with '_'; and {@code POST /}, whatever the query, as no S3
 *       operation is a POST to the root of a path-style host, and the AWS SDKs' STS clients post
 *       there whatever path their endpoint URL has.
 *   <li>Fence's presigned-URL API at {@code /user/data/}, where Gen3's reverse proxy serves
 *       Fence's, rewritten to the data plane's {@code /data/}. Not {@code /data/} itself, which
 *       is the path-style address of a bucket named {@code data}; a bucket named {@code user}
 *       loses its {@code data/} keys to it, as behind Gen3's proxy.
 * </ul>
 */
final class GatewayHttpRoutes {
  /**
   * The listener's buffer filter, off but where a route turns it on: these routes, whose bodies
   * the data plane reads on a few threads. Envoy holds a slowly sent body until it is whole, so
   * that slow senders wait in Envoy, not on the data plane's threads.
   */
  static final String BUFFER_FILTER = "envoy.filters.http.buffer";
  /**
   * The STS endpoint's own limit ({@code StsEndpoint.MAX_REQUEST_BYTES} in the data plane, which
   * this module does not depend on; the gateway module's {@code PushedBodyLimitsTest} checks the
   * two agree).
   */
  static final int STS_MAX_REQUEST_BYTES = 64 * 1024;
  /** The presigned-URL API's ({@code PresignedUrlApi.MAX_REQUEST_BYTES}), checked the same way. */
  static final int PRESIGN_MAX_REQUEST_BYTES = 1024 * 1024;
  /** The STS endpoint answers at once or not at all: nothing streams. */
  private static final Duration STS_TIMEOUT = Duration.newBuilder().setSeconds(10).build();
  /** Completing a multipart upload of many parts takes the storage a while. */
  private static final Duration PRESIGN_TIMEOUT = Duration.newBuilder().setSeconds(30).build();
  /**
   * The longest a whole exchange may take, body included: the route timeouts count from the
   * body's end, and a sender that trickles a buffered body would otherwise hold its buffer in
   * Envoy for as long as it likes.
   */
  private static final MaxStreamDuration STS_MAX_STREAM = maxStream(20);
  private static final MaxStreamDuration PRESIGN_MAX_STREAM = maxStream(60);
  /** Where Gen3's proxy serves Fence's API, and what the data plane serves it as. */
  private static final String PRESIGN_PREFIX = "/user/data/";
  private static final String PRESIGN_TARGET = "/data/";
  private static final Any UNCHECKED = Any.pack(ExtAuthzPerRoute.newBuilder()
      .setDisabled(true).build());
  private static final Any STS_BUFFERED = buffered(STS_MAX_REQUEST_BYTES);
  private static final Any PRESIGN_BUFFERED = buffered(PRESIGN_MAX_REQUEST_BYTES);

  private GatewayHttpRoutes() {
  }

  /** @param gatewayHttpCluster the bootstrap's cluster that reaches the data plane's HTTP port */
  static List<Route> to(String gatewayHttpCluster) {
    RouteAction.Builder sts = RouteAction.newBuilder()
        .setCluster(gatewayHttpCluster)
        .setTimeout(STS_TIMEOUT)
        .setMaxStreamDuration(STS_MAX_STREAM);
    return List.of(
        Route.newBuilder()
            .setName("sts")
            .setMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/_sts"))
            .setRoute(sts)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .putTypedPerFilterConfig(BUFFER_FILTER, STS_BUFFERED)
            .build(),
        Route.newBuilder()
            .setName("sts_root_post")
            // Exact path, the query aside: POST /?Action=... is the STS query protocol too.
            .setMatch(RouteMatch.newBuilder().setPath("/")
                .addHeaders(HeaderMatcher.newBuilder().setName(":method")
                    .setStringMatch(StringMatcher.newBuilder().setExact("POST"))))
            .setRoute(sts)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .putTypedPerFilterConfig(BUFFER_FILTER, STS_BUFFERED)
            .build(),
        Route.newBuilder()
            .setName("presigned_url_api")
            .setMatch(RouteMatch.newBuilder().setPrefix(PRESIGN_PREFIX))
            .setRoute(RouteAction.newBuilder()
                .setCluster(gatewayHttpCluster)
                .setPrefixRewrite(PRESIGN_TARGET)
                .setTimeout(PRESIGN_TIMEOUT)
                .setMaxStreamDuration(PRESIGN_MAX_STREAM))
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .putTypedPerFilterConfig(BUFFER_FILTER, PRESIGN_BUFFERED)
            .build());
  }

  private static MaxStreamDuration maxStream(long seconds) {
    return MaxStreamDuration.newBuilder()
        .setMaxStreamDuration(Duration.newBuilder().setSeconds(seconds)).build();
  }

  /** A body larger than {@code maxBytes} gets Envoy's 413, as it would the data plane's. */
  private static Any buffered(int maxBytes) {
    return Any.pack(BufferPerRoute.newBuilder().setBuffer(Buffer.newBuilder()
        .setMaxRequestBytes(UInt32Value.of(maxBytes))).build());
  }
}
