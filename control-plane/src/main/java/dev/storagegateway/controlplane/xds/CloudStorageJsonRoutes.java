package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.List;

/**
 * A Cloud Storage bucket's routes for Google's JSON API, whose paths do not begin with
 * {@code /<bucket>/}:
 *
 * <ul>
 *   <li>{@code /storage/v1/b/<bucket>} and everything under it: metadata, listings, deletes,
 *       compose, and {@code rewriteTo}/{@code copyTo}, whose path names the source first;
 *   <li>{@code /upload/storage/v1/b/<bucket>/o} (the query aside): uploads, and the requests of
 *       a resumable session, whose {@code Location} is pointed back at the gateway
 *       ({@link UploadLocationRewrite});
 *   <li>{@code /download/storage/v1/b/<bucket>/o/...}: object data.
 * </ul>
 *
 * <p>Each goes where the bucket's S3-style routes go, told the same context extensions: the data
 * plane compares {@code bucket} with the bucket the path names first, which is always this one.
 * A suspended bucket's are answered 403 by Envoy in the JSON API's own error document. They
 * belong in the path-style virtual host only (the data plane reads the JSON API on hosts that
 * name no bucket), before every bucket's S3-style route: {@code /storage/...} would otherwise
 * fall to a bucket named {@code storage}.
 */
final class CloudStorageJsonRoutes {
  private CloudStorageJsonRoutes() {
  }

  /**
   * @param authzSettings the bucket's ext_authz per-route configuration, as its S3-style routes
   *     carry it
   */
  static List<Route> of(BucketRouteSet.Inputs bucket, Any authzSettings) {
    String name = bucket.name();
    return List.of(
        route(bucket, authzSettings, "gcs_json_" + name, RouteMatch.newBuilder()
            .setPathSeparatedPrefix("/storage/v1/b/" + name), false),
        route(bucket, authzSettings, "gcs_upload_" + name, RouteMatch.newBuilder()
            .setPath("/upload/storage/v1/b/" + name + "/o"), true),
        route(bucket, authzSettings, "gcs_download_" + name, RouteMatch.newBuilder()
            .setPrefix("/download/storage/v1/b/" + name + "/o/"), false));
  }

  private static Route route(BucketRouteSet.Inputs bucket, Any authzSettings, String name,
      RouteMatch.Builder match, boolean upload) {
    Route.Builder route = Route.newBuilder().setName(name).setMatch(match)
        .putTypedPerFilterConfig(BucketRoutes.EXT_AUTHZ_FILTER, authzSettings);
    if (!bucket.active()) {
      return DirectErrors.gcsJson(route, 403, "forbidden", "the bucket '" + bucket.name()
          + "' is suspended by the gateway's administrators").build();
    }
    if (upload) {
      route.putAllTypedPerFilterConfig(UploadLocationRewrite.PER_ROUTE);
    }
    return route.setRoute(BucketRoutes.forwardTo(bucket.endpoint())).build();
  }
}
