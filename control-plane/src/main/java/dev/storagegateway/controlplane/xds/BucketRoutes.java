package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketNames;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.controlplane.cache.VersionedResource;
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
import java.util.stream.Stream;

/**
 * The routes of every registered bucket, in one route configuration:
 *
 * <ul>
 *   <li>path-style on any host: {@code /<bucket>} and {@code /<bucket>/...} (one
 *       {@code path_separated_prefix} route);
 *   <li>virtual-hosted on {@code <bucket>.<domain>}, rewritten to path-style, because the data
 *       plane signs path-style requests;
 *   <li>for a Cloud Storage bucket, its JSON API paths on any host
 *       ({@link CloudStorageJsonRoutes});
 *   <li>each to its endpoint's cluster with the host rewritten to the endpoint, and ext_authz
 *       told the bucket, provider and upstream host ({@code context_extensions});
 *   <li>a suspended bucket answered 403 by Envoy itself, without asking anyone;
 *   <li>anything else checked (the data plane answers 404 NoSuchBucket) and, should it pass,
 *       answered 404 by Envoy.
 * </ul>
 *
 * <p>The path-style host, which matches in order, holds first the data plane's own endpoints
 * ({@link GatewayHttpRoutes}: STS and the presigned-URL API), then every JSON API route, then
 * every bucket's path-style route, then the fallback.
 *
 * <p>A registry of 100,000 buckets makes a route configuration of tens of MiB, and every change
 * rebuilds it. So each bucket's routes and their content hash are kept from one build to the
 * next and rebuilt only when the fields they depend on change ({@link BucketRouteSet.Inputs});
 * the configuration's version is the hash of those hashes in bucket order and of the part around
 * them, which is as content-addressed as hashing the whole encoding and costs nothing for
 * unchanged buckets. Builds run on one thread ({@link SnapshotPublisher}), so the kept routes
 * need no locking.
 */
final class BucketRoutes {
  static final String NAME = "storage_gateway_routes";
  static final String EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz";
  static final String PATH_STYLE_HOST = "path_style";
  private static final Duration NO_TIMEOUT = Duration.getDefaultInstance();

  private final String bucketDomain;
  private final List<Route> gatewayHttpRoutes;
  private final Route unknownBucket = DirectErrors.s3(Route.newBuilder()
          .setName("unknown_bucket")
          .setMatch(RouteMatch.newBuilder().setPrefix("/")),
      404, "NoSuchBucket", "the bucket is not served by this gateway").build();
  /** The configuration around the buckets' routes, hashed as one more part of the version. */
  private final ByteString frameHash;
  private Map<String, BucketRouteSet> kept = Map.of();

  /**
   * @param bucketDomain buckets are also served on {@code <bucket>.<bucketDomain>}; null for
   *     path-style only
   * @param gatewayHttpCluster the bootstrap's cluster that reaches the data plane's HTTP port
   */
  BucketRoutes(String bucketDomain, String gatewayHttpCluster) {
    this.bucketDomain = bucketDomain;
    this.gatewayHttpRoutes = GatewayHttpRoutes.to(gatewayHttpCluster);
    this.frameHash = ContentHash.digestOf(RouteConfiguration.newBuilder().setName(NAME)
        .addVirtualHosts(pathStyleHost().addAllRoutes(gatewayHttpRoutes).addRoutes(unknownBucket))
        .build());
  }

  VersionedResource<RouteConfiguration> build(Collection<Bucket> buckets) {
    List<Bucket> sorted = buckets.stream().sorted(Comparator.comparing(Bucket::name)).toList();
    Map<String, BucketRouteSet> current = new HashMap<>(sorted.size() * 2);
    List<ByteString> hashes = new ArrayList<>(sorted.size() + 1);
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(NAME);
    List<Route> jsonApi = new ArrayList<>();
    List<Route> pathStyleRoutes = new ArrayList<>(sorted.size());
    for (Bucket bucket : sorted) {
      BucketRouteSet.Inputs inputs = BucketRouteSet.Inputs.of(bucket);
      BucketRouteSet routes = kept.get(bucket.name());
      if (routes == null || !routes.inputs().equals(inputs)) {
        routes = routesOf(inputs);
      }
      current.put(bucket.name(), routes);
      hashes.add(routes.contentHash());
      jsonApi.addAll(routes.jsonApiRoutes());
      pathStyleRoutes.add(routes.pathStyleRoute());
      if (routes.virtualHost() != null) {
        config.addVirtualHosts(routes.virtualHost());
      }
    }
    kept = current;
    hashes.add(frameHash);
    RouteConfiguration built = config.addVirtualHosts(pathStyleHost()
            .addAllRoutes(gatewayHttpRoutes)
            .addAllRoutes(jsonApi)
            .addAllRoutes(pathStyleRoutes)
            .addRoutes(unknownBucket))
        .build();
    return VersionedResource.create(built, ContentHash.ofDigests(hashes));
  }

  /** What the request goes to when its bucket's route allows it: the bucket's endpoint. */
  static RouteAction.Builder forwardTo(StorageEndpoint endpoint) {
    return RouteAction.newBuilder()
        .setCluster(UpstreamClusters.nameOf(endpoint))
        .setHostRewriteLiteral(endpoint.authority())
        // Uploads and downloads of large objects take as long as they take.
        .setTimeout(NO_TIMEOUT);
  }

  private static VirtualHost.Builder pathStyleHost() {
    return VirtualHost.newBuilder().setName(PATH_STYLE_HOST).addDomains("*");
  }

  private BucketRouteSet routesOf(BucketRouteSet.Inputs bucket) {
    // The routes of the bucket tell ext_authz the same but for how they address it: packed once.
    Any authzSettings = authzSettings(bucket, false);
    Route pathStyle = route(bucket, authzSettings, RouteMatch.newBuilder()
        .setPathSeparatedPrefix("/" + bucket.name()), null);
    // A name no host may carry (a Cloud Storage name with '_', or over 63 characters) gets no
    // virtual host: the data plane would refuse every request to it.
    VirtualHost virtualHost = bucketDomain == null
        || BucketNames.s3ShapeProblem(bucket.name()) != null ? null : VirtualHost.newBuilder()
        .setName("bucket_" + bucket.name())
        .addDomains(bucket.name() + "." + bucketDomain)
        .addDomains(bucket.name() + "." + bucketDomain + ":*")
        .addRoutes(route(bucket, authzSettings(bucket, true), RouteMatch.newBuilder()
            .setPrefix("/"), "/" + bucket.name() + "/"))
        .build();
    List<Route> jsonApi = bucket.provider() == Provider.GCP
        ? CloudStorageJsonRoutes.of(bucket, authzSettings) : List.of();
    // Without a bucket domain the virtual host is null, which the hash leaves out.
    Message[] hashed = Stream.concat(Stream.of(pathStyle, virtualHost), jsonApi.stream())
        .toArray(Message[]::new);
    return new BucketRouteSet(bucket, pathStyle, virtualHost, jsonApi,
        ContentHash.digestOf(hashed));
  }

  /**
   * @param virtualHosted for the route of the bucket's own host, which rewrites the path to
   *     path-style: the data plane reads the bucket from the Host only on such a route
   */
  private static Any authzSettings(BucketRouteSet.Inputs bucket, boolean virtualHosted) {
    if (!bucket.active()) {
      return Any.pack(ExtAuthzPerRoute.newBuilder().setDisabled(true).build());
    }
    CheckSettings.Builder settings = CheckSettings.newBuilder()
        .putContextExtensions(RouteSettings.BUCKET, bucket.name())
        .putContextExtensions(RouteSettings.PROVIDER, bucket.provider().wireName())
        .putContextExtensions(RouteSettings.UPSTREAM_HOST, bucket.endpoint().authority());
    if (virtualHosted) {
      settings.putContextExtensions(RouteSettings.ADDRESSING, RouteSettings.VIRTUAL_HOSTED);
    }
    return Any.pack(ExtAuthzPerRoute.newBuilder().setCheckSettings(settings).build());
  }

  private static Route route(BucketRouteSet.Inputs bucket, Any authzSettings,
      RouteMatch.Builder match, String prefixRewrite) {
    Route.Builder route = Route.newBuilder().setName(bucket.name()).setMatch(match)
        .putTypedPerFilterConfig(EXT_AUTHZ_FILTER, authzSettings);
    if (!bucket.active()) {
      return DirectErrors.s3(route, 403, "AccessDenied", "the bucket '" + bucket.name()
          + "' is suspended by the gateway's administrators").build();
    }
    RouteAction.Builder action = forwardTo(bucket.endpoint());
    if (prefixRewrite != null) {
      action.setPrefixRewrite(prefixRewrite);
    }
    return route.setRoute(action).build();
  }
}
