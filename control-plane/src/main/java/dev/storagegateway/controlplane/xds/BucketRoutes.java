package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.storagegateway.registry.Bucket;
import io.envoyproxy.controlplane.cache.VersionedResource;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.CheckSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of every registered bucket, in one route configuration:
 *
 * <ul>
 *   <li>path-style on any host: {@code /<bucket>} and {@code /<bucket>/...} (one
 *       {@code path_separated_prefix} route);
 *   <li>virtual-hosted on {@code <bucket>.<domain>}, rewritten to path-style, because the data
 *       plane signs path-style requests;
 *   <li>each to its endpoint's cluster with the host rewritten to the endpoint, and ext_authz
 *       told the bucket, provider and upstream host ({@code context_extensions});
 *   <li>a suspended bucket answered 403 by Envoy itself, without asking anyone;
 *   <li>anything else checked (the data plane answers 404 NoSuchBucket) and, should it pass,
 *       answered 404 by Envoy.
 * </ul>
 *
 * <p>A registry of 100,000 buckets makes a route configuration of tens of MiB, and every change
 * rebuilds it. So each bucket's routes and their content hash are kept from one build to the
 * next and rebuilt only when the fields they depend on change ({@link BucketRouteSet.Inputs});
 * the configuration's version is the hash of those hashes in bucket order, which is as content-
 * addressed as hashing the whole encoding and costs nothing for unchanged buckets. Builds run on
 * one thread ({@link SnapshotPublisher}), so the kept routes need no locking.
 */
final class BucketRoutes {
  static final String NAME = "storage_gateway_routes";
  static final String EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz";
  static final String PATH_STYLE_HOST = "path_style";
  private static final Duration NO_TIMEOUT = Duration.getDefaultInstance();

  private final String bucketDomain;
  private final Route unknownBucket = Route.newBuilder()
      .setName("unknown_bucket")
      .setMatch(RouteMatch.newBuilder().setPrefix("/"))
      .setDirectResponse(s3Error(404, "NoSuchBucket", "the bucket is not served by this gateway"))
      .addAllResponseHeadersToAdd(xmlContentType())
      .build();
  private Map<String, BucketRouteSet> kept = Map.of();

  BucketRoutes(String bucketDomain) {
    this.bucketDomain = bucketDomain;
  }

  VersionedResource<RouteConfiguration> build(Collection<Bucket> buckets) {
    List<Bucket> sorted = buckets.stream().sorted(Comparator.comparing(Bucket::name)).toList();
    Map<String, BucketRouteSet> current = new HashMap<>(sorted.size() * 2);
    List<ByteString> hashes = new ArrayList<>(sorted.size() + 1);
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(NAME);
    VirtualHost.Builder pathStyle = VirtualHost.newBuilder()
        .setName(PATH_STYLE_HOST).addDomains("*");
    for (Bucket bucket : sorted) {
      BucketRouteSet.Inputs inputs = BucketRouteSet.Inputs.of(bucket);
      BucketRouteSet routes = kept.get(bucket.name());
      if (routes == null || !routes.inputs().equals(inputs)) {
        routes = routesOf(inputs);
      }
      current.put(bucket.name(), routes);
      hashes.add(routes.contentHash());
      pathStyle.addRoutes(routes.pathStyleRoute());
      if (routes.virtualHost() != null) {
        config.addVirtualHosts(routes.virtualHost());
      }
    }
    kept = current;
    RouteConfiguration built = config.addVirtualHosts(pathStyle.addRoutes(unknownBucket)).build();
    // The configuration around the buckets' routes: its name, the path-style host, the fallback.
    hashes.add(ContentHash.digestOf(RouteConfiguration.newBuilder().setName(NAME)
        .addVirtualHosts(VirtualHost.newBuilder().setName(PATH_STYLE_HOST).addDomains("*")
            .addRoutes(unknownBucket))
        .build()));
    return VersionedResource.create(built, ContentHash.ofDigests(hashes));
  }

  private BucketRouteSet routesOf(BucketRouteSet.Inputs bucket) {
    // Both routes tell ext_authz the same: packed once.
    Any authzSettings = Any.pack(bucket.active()
        ? ExtAuthzPerRoute.newBuilder().setCheckSettings(CheckSettings.newBuilder()
            .putContextExtensions("bucket", bucket.name())
            .putContextExtensions("provider", bucket.provider())
            .putContextExtensions("upstream_host", bucket.endpoint().authority())).build()
        : ExtAuthzPerRoute.newBuilder().setDisabled(true).build());
    Route pathStyle = route(bucket, authzSettings, RouteMatch.newBuilder()
        .setPathSeparatedPrefix("/" + bucket.name()), null);
    VirtualHost virtualHost = bucketDomain == null ? null : VirtualHost.newBuilder()
        .setName("bucket_" + bucket.name())
        .addDomains(bucket.name() + "." + bucketDomain)
        .addDomains(bucket.name() + "." + bucketDomain + ":*")
        .addRoutes(route(bucket, authzSettings, RouteMatch.newBuilder().setPrefix("/"),
            "/" + bucket.name() + "/"))
        .build();
    return new BucketRouteSet(bucket, pathStyle, virtualHost,
        ContentHash.digestOf(pathStyle, virtualHost));
  }

  private static Route route(BucketRouteSet.Inputs bucket, Any authzSettings,
      RouteMatch.Builder match, String prefixRewrite) {
    Route.Builder route = Route.newBuilder().setName(bucket.name()).setMatch(match)
        .putTypedPerFilterConfig(EXT_AUTHZ_FILTER, authzSettings);
    if (!bucket.active()) {
      return route
          .setDirectResponse(s3Error(403, "AccessDenied", "the bucket '" + bucket.name()
              + "' is suspended by the gateway's administrators"))
          .addAllResponseHeadersToAdd(xmlContentType())
          .build();
    }
    StorageEndpoint endpoint = bucket.endpoint();
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(UpstreamClusters.nameOf(endpoint))
        .setHostRewriteLiteral(endpoint.authority())
        // Uploads and downloads of large objects take as long as they take.
        .setTimeout(NO_TIMEOUT);
    if (prefixRewrite != null) {
      action.setPrefixRewrite(prefixRewrite);
    }
    return route.setRoute(action).build();
  }

  private static DirectResponseAction s3Error(int status, String code, String message) {
    return DirectResponseAction.newBuilder()
        .setStatus(status)
        .setBody(DataSource.newBuilder().setInlineString(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>" + message + "</Message></Error>\n"))
        .build();
  }

  private static List<HeaderValueOption> xmlContentType() {
    List<HeaderValueOption> headers = new ArrayList<>();
    headers.add(HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey("content-type").setValue("application/xml"))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build());
    return headers;
  }
}
