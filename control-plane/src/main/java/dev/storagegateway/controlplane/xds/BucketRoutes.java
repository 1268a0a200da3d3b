package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.storagegateway.registry.Bucket;
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
import java.util.List;

/**
 * The routes of every registered bucket, in one route configuration:
 *
 * <ul>
 *   <li>path-style on any host: {@code /<bucket>} and {@code /<bucket>/...};
 *   <li>virtual-hosted on {@code <bucket>.<domain>}, rewritten to path-style, because the data
 *       plane signs path-style requests;
 *   <li>each to its endpoint's cluster with the host rewritten to the endpoint, and ext_authz
 *       told the bucket, provider and upstream host ({@code context_extensions});
 *   <li>a suspended bucket answered 403 by Envoy itself, without asking anyone;
 *   <li>anything else checked (the data plane answers 404 NoSuchBucket) and, should it pass,
 *       answered 404 by Envoy.
 * </ul>
 */
final class BucketRoutes {
  static final String NAME = "storage_gateway_routes";
  static final String EXT_AUTHZ_FILTER = "envoy.filters.http.ext_authz";
  private static final Duration NO_TIMEOUT = Duration.getDefaultInstance();

  private final String bucketDomain;

  BucketRoutes(String bucketDomain) {
    this.bucketDomain = bucketDomain;
  }

  RouteConfiguration build(Collection<Bucket> buckets) {
    List<Bucket> sorted = buckets.stream().sorted(Comparator.comparing(Bucket::name)).toList();
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(NAME);
    if (bucketDomain != null) {
      for (Bucket bucket : sorted) {
        config.addVirtualHosts(VirtualHost.newBuilder()
            .setName("bucket_" + bucket.name())
            .addDomains(bucket.name() + "." + bucketDomain)
            .addDomains(bucket.name() + "." + bucketDomain + ":*")
            .addRoutes(route(bucket, RouteMatch.newBuilder().setPrefix("/"),
                "/" + bucket.name() + "/")));
      }
    }
    VirtualHost.Builder pathStyle = VirtualHost.newBuilder().setName("path_style").addDomains("*");
    for (Bucket bucket : sorted) {
      pathStyle.addRoutes(route(bucket, RouteMatch.newBuilder().setPath("/" + bucket.name()), null));
      pathStyle.addRoutes(route(bucket,
          RouteMatch.newBuilder().setPrefix("/" + bucket.name() + "/"), null));
    }
    pathStyle.addRoutes(Route.newBuilder()
        .setName("unknown_bucket")
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setDirectResponse(s3Error(404, "NoSuchBucket",
            "the bucket is not served by this gateway"))
        .addAllResponseHeadersToAdd(xmlContentType()));
    return config.addVirtualHosts(pathStyle).build();
  }

  private static Route route(Bucket bucket, RouteMatch.Builder match, String prefixRewrite) {
    Route.Builder route = Route.newBuilder().setName(bucket.name()).setMatch(match);
    if (!bucket.isActive()) {
      return route
          .setDirectResponse(s3Error(403, "AccessDenied", "the bucket '" + bucket.name()
              + "' is suspended by the gateway's administrators"))
          .addAllResponseHeadersToAdd(xmlContentType())
          .putTypedPerFilterConfig(EXT_AUTHZ_FILTER,
              Any.pack(ExtAuthzPerRoute.newBuilder().setDisabled(true).build()))
          .build();
    }
    StorageEndpoint endpoint = StorageEndpoint.of(bucket);
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(UpstreamClusters.nameOf(endpoint))
        .setHostRewriteLiteral(endpoint.authority())
        // Uploads and downloads of large objects take as long as they take.
        .setTimeout(NO_TIMEOUT);
    if (prefixRewrite != null) {
      action.setPrefixRewrite(prefixRewrite);
    }
    return route.setRoute(action)
        .putTypedPerFilterConfig(EXT_AUTHZ_FILTER, Any.pack(ExtAuthzPerRoute.newBuilder()
            .setCheckSettings(CheckSettings.newBuilder()
                .putContextExtensions("bucket", bucket.name())
                .putContextExtensions("provider", bucket.provider().wireName())
                .putContextExtensions("upstream_host", endpoint.authority()))
            .build()))
        .build();
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
