package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.BucketStatus;
import dev.storagegateway.registry.Provider;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketRoutesTest {
  private static final String DOMAIN = "s3.test";
  private static final String HTTP_CLUSTER = "storage_gateway_http";

  private static List<Bucket> registry(int count) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      buckets.add(Bucket.builder().name("bucket-" + i).provider(Provider.AWS)
          .region(i % 2 == 0 ? "us-east-1" : "eu-west-1").authMode(AuthMode.ROLE)
          .revision(1).build());
    }
    return buckets;
  }

  private static Bucket gcs(String name) {
    return Bucket.builder().name(name).provider(Provider.GCP).region("us-east1")
        .authMode(AuthMode.PUBLIC).revision(1).build();
  }

  private static BucketRoutes routes() {
    return new BucketRoutes(DOMAIN, HTTP_CLUSTER);
  }

  @Test
  void aRebuildThatKeepsRoutesGivesExactlyWhatAFirstBuildGives() {
    List<Bucket> buckets = registry(50);
    buckets.add(gcs("gcs-kept"));
    buckets.add(gcs("gcs-suspended"));
    BucketRoutes kept = routes();
    kept.build(buckets);
    buckets.set(7, buckets.get(7).toBuilder().status(BucketStatus.SUSPENDED).revision(2).build());
    buckets.set(8, buckets.get(8).toBuilder().region("ap-south-1").revision(2).build());
    buckets.remove(9);
    buckets.add(Bucket.builder().name("bucket-new").provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.ROLE).build());
    buckets.replaceAll(bucket -> bucket.name().equals("gcs-suspended")
        ? bucket.toBuilder().status(BucketStatus.SUSPENDED).revision(2).build() : bucket);
    buckets.add(gcs("gcs-new"));

    VersionedResource<RouteConfiguration> rebuilt = kept.build(buckets);
    VersionedResource<RouteConfiguration> fresh = routes().build(buckets);

    assertThat(rebuilt.resource()).isEqualTo(fresh.resource());
    assertThat(rebuilt.version()).isEqualTo(fresh.version());
  }

  @Test
  void theVersionFollowsWhatEnvoyReceivesAndNothingElse() {
    List<Bucket> buckets = registry(10);
    buckets.add(gcs("gcs-labelled"));
    BucketRoutes routes = routes();
    String before = routes.build(buckets).version();

    buckets.set(3, buckets.get(3).toBuilder().labels(Map.of("team", "other"))
        .ownerProject("/programs/other").revision(5).build());
    buckets.set(10, buckets.get(10).toBuilder().labels(Map.of("team", "other")).revision(5)
        .build());
    assertThat(routes.build(buckets).version()).as("labels are not routed").isEqualTo(before);

    buckets.set(3, buckets.get(3).toBuilder().status(BucketStatus.SUSPENDED).revision(6).build());
    String suspended = routes.build(buckets).version();
    assertThat(suspended).isNotEqualTo(before);

    buckets.set(3, buckets.get(3).toBuilder().status(BucketStatus.ACTIVE).revision(7).build());
    assertThat(routes.build(buckets).version()).as("back to the same routes").isEqualTo(before);

    buckets.set(10, buckets.get(10).toBuilder().status(BucketStatus.SUSPENDED).revision(8)
        .build());
    assertThat(routes.build(buckets).version()).as("a Cloud Storage bucket's JSON API routes")
        .isNotEqualTo(before);
    buckets.set(10, buckets.get(10).toBuilder().status(BucketStatus.ACTIVE).revision(9).build());

    assertThat(new BucketRoutes("other.test", HTTP_CLUSTER).build(buckets).version())
        .as("the bucket domain is in the virtual hosts").isNotEqualTo(before);
    assertThat(new BucketRoutes(DOMAIN, "another_http_cluster").build(buckets).version())
        .as("the data plane's own routes are part of the configuration around the buckets")
        .isNotEqualTo(before);
    assertThat(routes().build(buckets).version()).as("another builder, as on another replica")
        .isEqualTo(before);
  }

  private static int maxRequestBytes(Route route) {
    try {
      return route.getTypedPerFilterConfigOrThrow(GatewayHttpRoutes.BUFFER_FILTER)
          .unpack(BufferPerRoute.class).getBuffer().getMaxRequestBytes().getValue();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void oneRouteServesABucketWithAndWithoutItsTrailingSlash() {
    RouteConfiguration config = routes().build(registry(1)).resource();
    List<Route> pathStyle = pathStyle(config);

    assertThat(pathStyle).extracting(Route::getName)
        .containsExactly("sts", "sts_root_post", "presigned_url_api", "bucket-0",
            "unknown_bucket");
    assertThat(pathStyle.get(3).getMatch().getPathSeparatedPrefix()).isEqualTo("/bucket-0");
    assertThat(config.getVirtualHostsList()).extracting(host -> host.getDomains(0))
        .containsExactly("bucket-0." + DOMAIN, "*");
  }

  /**
   * Only the bucket's own host rewrites the path to path-style, so only there may the data plane
   * read the bucket from the Host; the path-style route forwards the path as sent.
   */
  @Test
  void onlyTheBucketsOwnHostTellsTheDataPlaneItIsVirtualHosted() throws Exception {
    RouteConfiguration config = routes().build(registry(1)).resource();
    Route virtualHosted = config.getVirtualHostsList().get(0).getRoutes(0);

    assertThat(virtualHosted.getRoute().getPrefixRewrite()).isEqualTo("/bucket-0/");
    assertThat(authz(virtualHosted).getCheckSettings().getContextExtensionsMap())
        .containsEntry("addressing", "virtual-hosted").containsEntry("bucket", "bucket-0");
    assertThat(authz(pathStyle(config).get(3)).getCheckSettings().getContextExtensionsMap())
        .containsEntry("bucket", "bucket-0").doesNotContainKey("addressing");
  }

  /** The data plane takes only S3-shaped names from a Host, so no other gets a host to miss. */
  @Test
  void aCloudStorageNameNoHostMayCarryIsRoutedPathStyleOnly() throws Exception {
    List<Bucket> buckets = List.of(gcs("gcs_with_underscore"), gcs("gcs-plain"));
    RouteConfiguration config = routes().build(buckets).resource();

    assertThat(config.getVirtualHostsList()).flatExtracting(VirtualHost::getDomainsList)
        .contains("gcs-plain.s3.test").noneMatch(domain -> domain.contains("underscore"));
    assertThat(pathStyle(config)).extracting(route -> route.getMatch().getPathSeparatedPrefix())
        .contains("/gcs_with_underscore", "/gcs-plain");
  }

  @Test
  void theBucketDomainIsReadAsAHostName() {
    assertThat(XdsSettings.defaults(new InetSocketAddress(0), "S3.Example.ORG.")
        .bucketDomain()).isEqualTo("s3.example.org");
    assertThatThrownBy(() -> XdsSettings.defaults(new InetSocketAddress(0),
        "https://s3.example.org"))
        .hasMessage("bucket domain 'https://s3.example.org' must be a host name such as"
            + " s3.example.org");
  }

  @Test
  void theDataPlanesOwnEndpointsAreRoutedOnceBeforeEveryBucketUncheckedToItsHttpPort() {
    List<Bucket> buckets = registry(3);
    buckets.add(gcs("gcs-first"));
    RouteConfiguration config = routes().build(buckets).resource();
    List<Route> pathStyle = pathStyle(config);

    List<Route> own = pathStyle.stream()
        .filter(route -> route.getRoute().getCluster().equals(HTTP_CLUSTER)).toList();
    assertThat(own).extracting(Route::getName)
        .containsExactly("sts", "sts_root_post", "presigned_url_api");
    assertThat(pathStyle.subList(0, 3)).as("first in the path-style host").isEqualTo(own);
    for (Route route : own) {
      assertThat(authz(route).getDisabled()).as(route.getName()).isTrue();
      assertThat(route.getRoute().getHostRewriteLiteral()).isEmpty();
    }
    // Envoy holds their bodies until whole, up to the data plane's own limits; no bucket route
    // turns the buffer on, so uploads stream.
    assertThat(own).extracting(route -> maxRequestBytes(route))
        .containsExactly(64 * 1024, 64 * 1024, 1024 * 1024);
    assertThat(own).extracting(route -> route.getRoute().getMaxStreamDuration()
            .getMaxStreamDuration().getSeconds())
        .as("a trickled body is held in Envoy for a bounded time").containsExactly(20L, 20L, 60L);
    assertThat(pathStyle).filteredOn(route -> !own.contains(route))
        .allSatisfy(route -> assertThat(route.getTypedPerFilterConfigMap())
            .doesNotContainKey(GatewayHttpRoutes.BUFFER_FILTER));
    RouteMatch prefix = own.get(0).getMatch();
    assertThat(prefix.getPathSeparatedPrefix()).as("/_sts, /_sts/ and below").isEqualTo("/_sts");
    RouteMatch rootPost = own.get(1).getMatch();
    assertThat(rootPost.getPath()).isEqualTo("/");
    assertThat(rootPost.getHeadersList()).singleElement().satisfies(header -> {
      assertThat(header.getName()).isEqualTo(":method");
      assertThat(header.getStringMatch().getExact()).isEqualTo("POST");
    });
    assertThat(own.get(0).getRoute().getTimeout().getSeconds()).isEqualTo(10);
    assertThat(own.get(1).getRoute().getTimeout().getSeconds()).isEqualTo(10);
    Route presign = own.get(2);
    assertThat(presign.getMatch().getPrefix()).isEqualTo("/user/data/");
    assertThat(presign.getRoute().getPrefixRewrite()).as("the data plane serves it at /data/")
        .isEqualTo("/data/");
    assertThat(presign.getRoute().getTimeout().getSeconds()).isEqualTo(30);
    for (VirtualHost host : config.getVirtualHostsList()) {
      if (!host.getName().equals(BucketRoutes.PATH_STYLE_HOST)) {
        assertThat(host.getRoutesList()).as(host.getName() + ": these paths are keys there")
            .noneMatch(route -> route.getRoute().getCluster().equals(HTTP_CLUSTER));
      }
    }
  }

  @Test
  void aCloudStorageBucketGetsItsJsonApiRoutesAndAnS3BucketDoesNot() throws Exception {
    List<Bucket> buckets = registry(2);
    buckets.add(gcs("gcs-data"));
    // A bucket named like the JSON API's first segment must not capture its paths.
    buckets.add(Bucket.builder().name("storage").provider(Provider.AWS).region("us-east-1")
        .authMode(AuthMode.ROLE).revision(1).build());
    List<Route> pathStyle = pathStyle(routes().build(buckets).resource());

    List<Route> json = pathStyle.stream().filter(route -> route.getName().startsWith("gcs_"))
        .toList();
    assertThat(json).extracting(Route::getName)
        .containsExactly("gcs_json_gcs-data", "gcs_upload_gcs-data", "gcs_download_gcs-data");
    assertThat(json.get(0).getMatch().getPathSeparatedPrefix())
        .isEqualTo("/storage/v1/b/gcs-data");
    assertThat(json.get(1).getMatch().getPath()).as("the query aside")
        .isEqualTo("/upload/storage/v1/b/gcs-data/o");
    assertThat(json.get(2).getMatch().getPrefix()).isEqualTo("/download/storage/v1/b/gcs-data/o/");
    for (Route route : json) {
      assertThat(route.getRoute().getCluster()).isEqualTo("storage_storage_googleapis_com_443_tls");
      assertThat(route.getRoute().getHostRewriteLiteral()).isEqualTo("storage.googleapis.com");
      assertThat(route.getRoute().hasTimeout()).isTrue();
      assertThat(route.getRoute().getTimeout().getSeconds()).as("no timeout").isZero();
      assertThat(authz(route).getCheckSettings().getContextExtensionsMap()).containsExactly(
          Map.entry("bucket", "gcs-data"), Map.entry("provider", "gcp"),
          Map.entry("upstream_host", "storage.googleapis.com"));
    }
    assertThat(json.get(1).getTypedPerFilterConfigMap())
        .as("the upload route points session URLs back at the gateway")
        .containsAllEntriesOf(UploadLocationRewrite.PER_ROUTE);
    assertThat(json.get(0).getTypedPerFilterConfigMap()).containsOnlyKeys(
        BucketRoutes.EXT_AUTHZ_FILTER);
    assertThat(json.get(2).getTypedPerFilterConfigMap()).containsOnlyKeys(
        BucketRoutes.EXT_AUTHZ_FILTER);

    int lastJson = pathStyle.indexOf(json.get(2));
    int firstBucket = pathStyle.indexOf(pathStyle.stream()
        .filter(route -> route.getMatch().hasPathSeparatedPrefix()
            && !route.getName().startsWith("gcs_") && !route.getName().startsWith("sts"))
        .findFirst().orElseThrow());
    assertThat(lastJson).as("JSON API routes before every bucket's own").isLessThan(firstBucket);
    assertThat(pathStyle.get(firstBucket).getName()).isEqualTo("bucket-0");
    assertThat(pathStyle).filteredOn(route -> route.getName().startsWith("gcs_"))
        .as("only the Cloud Storage bucket has them").hasSize(3);
    assertThat(pathStyle).filteredOn(route -> route.getName().equals("gcs-data"))
        .as("and its S3-style route, for the XML API").hasSize(1);
  }

  @Test
  void aSuspendedCloudStorageBucketIsRefusedInTheJsonApisOwnErrorDocument() throws Exception {
    Bucket suspended = gcs("gcs-frozen").toBuilder().status(BucketStatus.SUSPENDED).build();
    List<Route> json = pathStyle(routes().build(List.of(suspended)).resource()).stream()
        .filter(route -> route.getName().startsWith("gcs_")).toList();

    assertThat(json).hasSize(3).allSatisfy(route -> {
      assertThat(route.hasDirectResponse()).isTrue();
      assertThat(route.getDirectResponse().getStatus()).isEqualTo(403);
      assertThat(authz(route).getDisabled()).as("no check: Envoy answers").isTrue();
      assertThat(route.getResponseHeadersToAddList()).singleElement().satisfies(header -> {
        assertThat(header.getHeader().getKey()).isEqualTo("content-type");
        assertThat(header.getHeader().getValue()).isEqualTo("application/json; charset=UTF-8");
      });
      assertThat(route.getTypedPerFilterConfigMap()).containsOnlyKeys(
          BucketRoutes.EXT_AUTHZ_FILTER);
    });
    JsonNode error = new ObjectMapper().readTree(
        json.get(0).getDirectResponse().getBody().getInlineString()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(403);
    assertThat(error.path("message").asText()).contains("gcs-frozen", "suspended");
    JsonNode detail = error.path("errors").get(0);
    assertThat(detail.path("reason").asText()).isEqualTo("forbidden");
    assertThat(detail.path("domain").asText()).isEqualTo("global");
    assertThat(detail.path("message").asText()).isEqualTo(error.path("message").asText());
  }

  private static List<Route> pathStyle(RouteConfiguration config) {
    return config.getVirtualHostsList().stream()
        .filter(host -> host.getName().equals(BucketRoutes.PATH_STYLE_HOST))
        .findFirst().orElseThrow().getRoutesList();
  }

  private static ExtAuthzPerRoute authz(Route route) {
    try {
      return route.getTypedPerFilterConfigOrThrow(BucketRoutes.EXT_AUTHZ_FILTER)
          .unpack(ExtAuthzPerRoute.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
