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
 * The routes to the data plane's STS endpoint (AssumeRoleWithWebIdentity with a Gen3 token), on
 * its HTTP port:
 *
 * <ul>
 *   <li>{@code /_sts} and everything under it: no bucket name starts with '_';
 *   <li>{@code POST /}, whatever the query: no S3 operation is a POST to the root of a path-style
 *       host, and the AWS SDKs' STS clients post there whatever path their endpoint URL has.
 * </ul>
 *
 * <p>Not checked by ext_authz: the Gen3 token in the form is the credential, and the endpoint
 * verifies it itself. They belong in
 * the path-style virtual host only: on a bucket's own host {@code POST /} is S3's (DeleteObjects,
 * browser uploads).
 */
final class StsRoutes {
  /** The endpoint answers at once or not at all: nothing streams. */
  private static final Duration TIMEOUT = Duration.newBuilder().setSeconds(10).build();
  private static final Any UNCHECKED = Any.pack(ExtAuthzPerRoute.newBuilder()
      .setDisabled(true).build());

  private StsRoutes() {
  }

  /** @param stsCluster the bootstrap's cluster that reaches the data plane's HTTP port */
  static List<Route> to(String stsCluster) {
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(stsCluster)
        .setTimeout(TIMEOUT);
    return List.of(
        Route.newBuilder()
            .setName("sts")
            .setMatch(RouteMatch.newBuilder().setPathSeparatedPrefix("/_sts"))
            .setRoute(action)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .build(),
        Route.newBuilder()
            .setName("sts_root_post")
            // Exact path, the query aside: POST /?Action=... is the STS query protocol too.
            .setMatch(RouteMatch.newBuilder().setPath("/")
                .addHeaders(HeaderMatcher.newBuilder().setName(":method")
                    .setStringMatch(StringMatcher.newBuilder().setExact("POST"))))
            .setRoute(action)
            .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, UNCHECKED)
            .build());
  }
}
