package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
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
  /** The STS endpoint answers at once or not at all: nothing streams. */
  private static final Duration STS_TIMEOUT = Duration.newBuilder().setSeconds(10).build();
  /** Completing a multipart upload of many parts takes the storage a while. */
  private static final Duration PRESIGN_TIMEOUT = Duration.newBuilder().setSeconds(30).build();
  /** Where Gen3's proxy serves Fence's API, and what the data plane serves it as. */
  private static final String PRESIGN_PREFIX = "/user/data/";
  private static final String PRESIGN_TARGET = "/data/";
  private static final Any UNCHECKED = Any.pack(ExtAuthzPerRoute.newBuilder()
      .setDisabled(true).build());

  private GatewayHttpRoutes() {
  }

  /** @param gatewayHttpCluster the bootstrap's cluster that reaches the data plane's HTTP port */
  static List<Route> to(String gatewayHttpCluster) {
    RouteAction.Builder sts = RouteAction.newBuilder()
        .setCluster(gatewayHttpCluster)
        .setTimeout(STS_TIMEOUT);
    return List.of(
        Route.newBuilder()
            .setName("sts")
            .setMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/_sts"))
            .setRoute(sts)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .build(),
        Route.newBuilder()
            .setName("sts_root_post")
            // Exact path, the query aside: POST /?Action=... is the STS query protocol too.
            .setMatch(RouteMatch.newBuilder().setPath("/")
                .addHeaders(HeaderMatcher.newBuilder().setName(":method")
                    .setStringMatch(StringMatcher.newBuilder().setExact("POST"))))
            .setRoute(sts)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .build(),
        Route.newBuilder()
            .setName("presigned_url_api")
            .setMatch(RouteMatch.newBuilder().setPrefix(PRESIGN_PREFIX))
            .setRoute(RouteAction.newBuilder()
                .setCluster(gatewayHttpCluster)
                .setPrefixRewrite(PRESIGN_TARGET)
                .setTimeout(PRESIGN_TIMEOUT))
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .build());
  }
}
