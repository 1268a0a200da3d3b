package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.storagegateway.controlplane.xds.EnvoyAdsClient;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xDS server driven by clients that behave as Envoy does, while buckets change through the
 * admin API of a two-replica control plane.
 */
class XdsServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  static Path dataDirectory;
  static TestRegistryCluster cluster;
  static AdminHttp http;
  static String admin;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(dataDirectory.resolve("pg"), 2);
    http = new AdminHttp(cluster.adminUrl(0));
    admin = cluster.token("admin");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String bucket(String name, String region) {
    return """
        {"name": "%s", "provider": "aws", "region": "%s", "auth_mode": "role",
         "role_arn": "arn:aws:iam::123456789012:role/gen3-data",
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/test"}]}
        """.formatted(name, region);
  }

  /** A Cloud Storage bucket that needs no credentials. */
  private static String gcsBucket(String name) {
    return """
        {"name": "%s", "provider": "gcp", "region": "us-east1", "auth_mode": "public",
         "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/test"}]}
        """.formatted(name);
  }

  private static int xdsPort(int replica) {
    return cluster.replica(replica).xdsPort();
  }

  @Test
  void aNewBucketBecomesRoutesToASharedClusterWithItsCheckSettings() throws Exception {
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-1", "ingress").connect(xdsPort(0))) {
      envoy.await(e -> e.routes() != null, WAIT);
      assertThat(envoy.listeners()).extracting(l -> l.getName()).containsExactly("ingress");

      assertThat(http.post("/admin/buckets", admin, bucket("xds-first", "us-west-1")).status())
          .isEqualTo(201);
      assertThat(http.post("/admin/buckets", admin, bucket("xds-second", "us-west-1")).status())
          .isEqualTo(201);
      envoy.await(e -> route(e.routes(), "xds-second").isPresent(), WAIT);

      Route route = route(envoy.routes(), "xds-first").orElseThrow();
      assertThat(route.getRoute().getCluster())
          .isEqualTo("storage_s3_us-west-1_amazonaws_com_443_tls");
      assertThat(route.getRoute().getHostRewriteLiteral()).isEqualTo("s3.us-west-1.amazonaws.com");
      assertThat(checkSettings(route).getCheckSettings().getContextExtensionsMap())
          .containsEntry("bucket", "xds-first").containsEntry("provider", "aws")
          .containsEntry("upstream_host", "s3.us-west-1.amazonaws.com");
      assertThat(envoy.clusters()).extracting(Cluster::getName)
          .containsOnlyOnce("storage_s3_us-west-1_amazonaws_com_443_tls");
      Cluster upstream = envoy.clusters().stream()
          .filter(c -> c.getName().equals(route.getRoute().getCluster())).findFirst().orElseThrow();
      assertThat(upstream.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");

      VirtualHost hosted = envoy.routes().getVirtualHostsList().stream()
          .filter(v -> v.getDomainsList().contains("xds-first.s3.gateway.test")).findFirst()
          .orElseThrow();
      assertThat(hosted.getRoutes(0).getRoute().getPrefixRewrite()).isEqualTo("/xds-first/");

      String metrics = cluster.replica(0).metrics().scrape();
      assertThat(metrics).contains("gateway_xds_pushes_total{group=\"ingress\",type=\"Cluster\"}",
          "gateway_xds_snapshot_build_seconds_count", "gateway_xds_snapshot_bytes");
      assertThat(metrics).containsPattern(
          "gateway_xds_connected_proxies\\{group=\"ingress\"} [1-9]");
    }
  }

  /**
   * Envoy connects only to the addresses the control plane resolved and admitted: a name that
   * passed registration and is re-pointed inside the network later (DNS rebinding) gets none.
   * Only the load assignment changes; the cluster, and Envoy's connections, stay.
   */
  @Test
  void aNamesAddressesReachEnvoyOverEdsAndARebindingIntoTheNetworkReachesNothing()
      throws Exception {
    TestRegistryCluster.REPOINTABLE.put("moving.example.org", "203.0.113.40");
    String clusterName = "storage_moving_example_org_443_tls";
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-eds", "ingress").connect(xdsPort(0))) {
      assertThat(http.post("/admin/buckets", admin, """
          {"name": "xds-moving-name", "provider": "s3_compatible", "auth_mode": "public",
           "endpoint": "https://moving.example.org",
           "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/test"}]}
          """).status()).isEqualTo(201);
      envoy.await(e -> addressesOf(e, clusterName).equals(List.of("203.0.113.40")), WAIT);
      Cluster upstream = envoy.clusters().stream()
          .filter(c -> c.getName().equals(clusterName)).findFirst().orElseThrow();
      assertThat(upstream.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
      // A cluster on a name resolved already: no lookup will push again, its first EDS answer
      // must come with the cluster.
      assertThat(http.post("/admin/buckets", admin, """
          {"name": "xds-moving-port", "provider": "s3_compatible", "auth_mode": "public",
           "endpoint": "https://moving.example.org:8443",
           "prefix_bindings": [{"prefix": "", "resource_path": "/programs/DEV/projects/test"}]}
          """).status()).isEqualTo(201);
      envoy.await(e -> addressesOf(e, "storage_moving_example_org_8443_tls")
          .equals(List.of("203.0.113.40")), WAIT);
      String clusters = envoy.acceptedVersion(EnvoyAdsClient.CLUSTERS);

      TestRegistryCluster.REPOINTABLE.put("moving.example.org", "169.254.169.254");
      envoy.await(e -> addressesOf(e, clusterName).isEmpty(), WAIT);
      assertThat(envoy.acceptedVersion(EnvoyAdsClient.CLUSTERS)).isEqualTo(clusters);
      assertThat(cluster.replica(0).metrics().scrape())
          .containsPattern("gateway_xds_storage_hosts_without_address [1-9]");

      TestRegistryCluster.REPOINTABLE.put("moving.example.org", "203.0.113.41");
      envoy.await(e -> addressesOf(e, clusterName).equals(List.of("203.0.113.41")), WAIT);
    } finally {
      TestRegistryCluster.REPOINTABLE.remove("moving.example.org");
      http.delete("/admin/buckets/xds-moving-name", admin);
      http.delete("/admin/buckets/xds-moving-port", admin);
    }
  }

  private static List<String> addressesOf(EnvoyAdsClient envoy, String clusterName) {
    return envoy.endpoints().stream()
        .filter(assignment -> assignment.getClusterName().equals(clusterName))
        .flatMap(assignment -> assignment.getEndpointsList().stream())
        .flatMap(locality -> locality.getLbEndpointsList().stream())
        .map(lb -> lb.getEndpoint().getAddress().getSocketAddress().getAddress())
        .toList();
  }

  /**
   * The old cluster outlives the last route to it by the grace: Envoy applies CDS before RDS, so
   * removing both at once would leave routes naming a cluster Envoy no longer has.
   */
  @Test
  void patchAndSuspendChangeTheRouteAndAnUnusedClusterGoesAfterItsGrace() throws Exception {
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-2", "ingress").connect(xdsPort(0))) {
      http.post("/admin/buckets", admin, bucket("xds-moving", "ap-south-1"));
      envoy.await(e -> route(e.routes(), "xds-moving").isPresent(), WAIT);

      assertThat(http.patch("/admin/buckets/xds-moving", admin, "{\"region\": \"ap-south-2\"}")
          .status()).isEqualTo(200);
      envoy.await(e -> route(e.routes(), "xds-moving").orElseThrow().getRoute().getCluster()
          .contains("ap-south-2"), WAIT);
      long moved = System.nanoTime();
      assertThat(envoy.clusters()).extracting(Cluster::getName)
          .contains("storage_s3_ap-south-2_amazonaws_com_443_tls",
              "storage_s3_ap-south-1_amazonaws_com_443_tls");
      envoy.await(e -> e.clusters().stream().map(Cluster::getName)
          .noneMatch("storage_s3_ap-south-1_amazonaws_com_443_tls"::equals), WAIT);
      assertThat(Duration.ofNanos(System.nanoTime() - moved))
          .isGreaterThan(TestRegistryCluster.REMOVED_CLUSTER_GRACE.minusMillis(500));

      assertThat(http.delete("/admin/buckets/xds-moving", admin).status()).isEqualTo(200);
      envoy.await(e -> route(e.routes(), "xds-moving").orElseThrow().hasDirectResponse(), WAIT);
      Route suspended = route(envoy.routes(), "xds-moving").orElseThrow();
      assertThat(suspended.getDirectResponse().getStatus()).isEqualTo(403);
      assertThat(suspended.getDirectResponse().getBody().getInlineString())
          .contains("<Code>AccessDenied</Code>", "suspended");
      assertThat(checkSettings(suspended).getDisabled()).isTrue();
    }
  }

  /** A sidecar whose bootstrap misspells its group must not open the public ingress listener. */
  @Test
  void aNodeNamingAGroupNotServedIsSentNothing() throws Exception {
    try (EnvoyAdsClient typo = new EnvoyAdsClient("sidecar-typo", "sidecra").connect(xdsPort(0));
        EnvoyAdsClient sidecar = new EnvoyAdsClient("sidecar-1", "sidecar").connect(xdsPort(0))) {
      sidecar.await(e -> e.routes() != null, WAIT);
      assertThat(sidecar.listeners()).extracting(l -> l.getName()).containsExactly("sidecar");
      http.post("/admin/buckets", admin, bucket("xds-not-for-typos", "eu-west-3"));
      sidecar.await(e -> route(e.routes(), "xds-not-for-typos").isPresent(), WAIT);

      assertThat(typo.received()).isEmpty();
      assertThat(typo.failed()).isFalse();
      assertThat(cluster.replica(0).metrics().scrape()).containsPattern(
          "gateway_xds_connected_proxies\\{group=\"unknown\"} [1-9]");
    }
  }

  @Test
  void aRejectedConfigurationIsNotResentUntilSomethingChanges() throws Exception {
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-3", "ingress").connect(xdsPort(0))) {
      envoy.await(e -> e.routes() != null, WAIT);
      String good = envoy.acceptedVersion(EnvoyAdsClient.ROUTES);
      envoy.rejectWhen(response -> response.getTypeUrl().equals(EnvoyAdsClient.ROUTES));
      long before = envoy.receivedOf(EnvoyAdsClient.ROUTES);

      http.post("/admin/buckets", admin, bucket("xds-rejected", "eu-north-1"));
      envoy.await(e -> e.receivedOf(EnvoyAdsClient.ROUTES) > before, WAIT);
      Thread.sleep(1_000);
      assertThat(envoy.receivedOf(EnvoyAdsClient.ROUTES)).isEqualTo(before + 1);
      assertThat(envoy.acceptedVersion(EnvoyAdsClient.ROUTES)).isEqualTo(good);
      assertThat(cluster.replica(0).metrics().scrape())
          .contains("gateway_xds_nacks_total{group=\"ingress\",type=\"RouteConfiguration\"}");

      envoy.rejectWhen(response -> false);
      http.post("/admin/buckets", admin, bucket("xds-after-fix", "eu-north-1"));
      envoy.await(e -> route(e.routes(), "xds-after-fix").isPresent(), WAIT);
    }
  }

  @Test
  void aReconnectToAnotherReplicaFindsIdenticalVersionsAndDownloadsNothing() throws Exception {
    http.post("/admin/buckets", admin, bucket("xds-everywhere", "ca-central-1"));
    // A cluster another test's change retired stays on each replica for the grace from that
    // replica's own build, so the two agree again only once it has gone from both.
    Thread.sleep(TestRegistryCluster.REMOVED_CLUSTER_GRACE.plusMillis(500).toMillis());
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-4", "ingress").connect(xdsPort(0))) {
      envoy.await(e -> route(e.routes(), "xds-everywhere").isPresent(), WAIT);
      String clusters = envoy.acceptedVersion(EnvoyAdsClient.CLUSTERS);
      String routes = envoy.acceptedVersion(EnvoyAdsClient.ROUTES);
      // The second replica builds its snapshots from its own copy of the registry.
      awaitTrue(() -> routes.equals(cluster.replica(1).xds().snapshot("ingress").routes().version())
          && clusters.equals(cluster.replica(1).xds().snapshot("ingress").clusters().version()));

      int received = envoy.received().size();
      envoy.connect(xdsPort(1));
      Thread.sleep(1_000);
      assertThat(envoy.received().subList(received, envoy.received().size()))
          .extracting(r -> r.getTypeUrl() + "@" + r.getVersionInfo()).isEmpty();
    }
  }

  @Test
  void deltaClientsReceiveOnlyWhatChanged() throws Exception {
    // A cluster another test's deletion retired must not be withdrawn during this one.
    Thread.sleep(TestRegistryCluster.REMOVED_CLUSTER_GRACE.plusMillis(500).toMillis());
    http.post("/admin/buckets", admin, bucket("xds-delta-base", "sa-east-1"));
    // The first response is whatever the snapshot holds when the stream opens.
    awaitTrue(() -> cluster.replica(0).xds().snapshot("ingress").clusters().resources()
        .containsKey("storage_s3_sa-east-1_amazonaws_com_443_tls"));
    List<DeltaDiscoveryResponse> responses = new CopyOnWriteArrayList<>();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort(0))
        .usePlaintext().build();
    try {
      StreamObserver<DeltaDiscoveryRequest>[] requests = new StreamObserver[1];
      requests[0] = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(
          new StreamObserver<>() {
            @Override
            public void onNext(DeltaDiscoveryResponse response) {
              responses.add(response);
              requests[0].onNext(DeltaDiscoveryRequest.newBuilder()
                  .setTypeUrl(response.getTypeUrl()).setResponseNonce(response.getNonce())
                  .setNode(io.envoyproxy.envoy.config.core.v3.Node.newBuilder().setId("delta-1")
                      .setCluster("ingress"))
                  .build());
            }

            @Override
            public void onError(Throwable error) {
            }

            @Override
            public void onCompleted() {
            }
          });
      requests[0].onNext(DeltaDiscoveryRequest.newBuilder()
          .setNode(io.envoyproxy.envoy.config.core.v3.Node.newBuilder().setId("delta-1")
              .setCluster("ingress"))
          .setTypeUrl(EnvoyAdsClient.CLUSTERS).build());
      awaitTrue(() -> !responses.isEmpty());
      assertThat(responses.get(0).getResourcesList()).extracting(r -> r.getName())
          .contains("storage_s3_sa-east-1_amazonaws_com_443_tls");

      http.post("/admin/buckets", admin, bucket("xds-delta-new", "af-south-1"));
      String added = "storage_s3_af-south-1_amazonaws_com_443_tls";
      awaitTrue(() -> responses.stream().anyMatch(r -> r.getResourcesList().stream()
          .anyMatch(resource -> resource.getName().equals(added))));
      DeltaDiscoveryResponse change = responses.stream().filter(r -> r.getResourcesList()
          .stream().anyMatch(resource -> resource.getName().equals(added))).findFirst()
          .orElseThrow();
      assertThat(change.getResourcesList()).extracting(r -> r.getName()).containsExactly(added);
      assertThat(change.getRemovedResourcesList()).isEmpty();
      requests[0].onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void theDataPlanesOwnEndpointsAreRoutedOnceAheadOfEveryBucketToItsHttpPortUnchecked()
      throws Exception {
    http.post("/admin/buckets", admin, bucket("xds-sts-neighbour", "us-east-2"));
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-5", "ingress").connect(xdsPort(0))) {
      envoy.await(e -> route(e.routes(), "xds-sts-neighbour").isPresent(), WAIT);
      List<Route> pathStyle = pathStyle(envoy.routes());
      List<Route> own = pathStyle.stream()
          .filter(r -> r.getRoute().getCluster().equals("storage_gateway_http")).toList();

      assertThat(own).extracting(Route::getName)
          .containsExactly("sts", "sts_root_post", "presigned_url_api");
      assertThat(pathStyle.subList(0, 3)).as("before every bucket and the fallback")
          .isEqualTo(own);
      assertThat(own).allSatisfy(r -> assertThat(checkSettings(r).getDisabled()).isTrue());
      assertThat(own.get(0).getMatch().getPathSeparatedPrefix()).isEqualTo("/_sts");
      assertThat(own.get(1).getMatch().getPath()).isEqualTo("/");
      assertThat(own.get(1).getMatch().getHeaders(0).getStringMatch().getExact())
          .isEqualTo("POST");
      assertThat(own.get(2).getMatch().getPrefix()).isEqualTo("/user/data/");
      assertThat(own.get(2).getRoute().getPrefixRewrite()).isEqualTo("/data/");
      assertThat(envoy.routes().getVirtualHostsList()).filteredOn(v -> !v.getName()
              .equals("path_style"))
          .allSatisfy(v -> assertThat(v.getRoutesList())
              .noneMatch(r -> r.getRoute().getCluster().equals("storage_gateway_http")));
    }
  }

  @Test
  void aCloudStorageBucketGetsJsonApiRoutesAndRefusesThemInJsonOnceSuspended() throws Exception {
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-6", "ingress").connect(xdsPort(0))) {
      assertThat(http.post("/admin/buckets", admin, gcsBucket("xds-gcs-data")).status())
          .isEqualTo(201);
      http.post("/admin/buckets", admin, bucket("xds-s3-only", "us-east-2"));
      envoy.await(e -> route(e.routes(), "xds-s3-only").isPresent()
          && route(e.routes(), "xds-gcs-data").isPresent(), WAIT);

      List<Route> json = jsonApiRoutes(envoy.routes(), "xds-gcs-data");
      assertThat(json).extracting(r -> r.getMatch().toString().trim()).containsExactly(
          "path_separated_prefix: \"/storage/v1/b/xds-gcs-data\"",
          "path: \"/upload/storage/v1/b/xds-gcs-data/o\"",
          "prefix: \"/download/storage/v1/b/xds-gcs-data/o/\"");
      for (Route r : json) {
        assertThat(r.getRoute().getCluster()).isEqualTo("storage_storage_googleapis_com_443_tls");
        assertThat(r.getRoute().getHostRewriteLiteral()).isEqualTo("storage.googleapis.com");
        assertThat(checkSettings(r).getCheckSettings().getContextExtensionsMap())
            .containsEntry("bucket", "xds-gcs-data").containsEntry("provider", "gcp")
            .containsEntry("upstream_host", "storage.googleapis.com");
      }
      assertThat(json.get(1).getTypedPerFilterConfigMap()).containsKeys(
          "envoy.filters.http.header_to_metadata", "envoy.filters.http.header_mutation");
      assertThat(jsonApiRoutes(envoy.routes(), "xds-s3-only")).isEmpty();
      List<Route> pathStyle = pathStyle(envoy.routes());
      assertThat(pathStyle.indexOf(json.get(2)))
          .isLessThan(pathStyle.indexOf(route(envoy.routes(), "xds-gcs-data").orElseThrow()))
          .isLessThan(pathStyle.indexOf(route(envoy.routes(), "xds-s3-only").orElseThrow()));
      assertThat(envoy.clusters()).extracting(Cluster::getName)
          .contains("storage_storage_googleapis_com_443_tls");

      assertThat(http.delete("/admin/buckets/xds-gcs-data", admin).status()).isEqualTo(200);
      envoy.await(e -> jsonApiRoutes(e.routes(), "xds-gcs-data").stream()
          .allMatch(Route::hasDirectResponse), WAIT);
      for (Route refused : jsonApiRoutes(envoy.routes(), "xds-gcs-data")) {
        assertThat(refused.getDirectResponse().getStatus()).isEqualTo(403);
        assertThat(refused.getDirectResponse().getBody().getInlineString())
            .startsWith("{\"error\":{\"code\":403,").contains("\"reason\":\"forbidden\"",
                "suspended");
        assertThat(refused.getResponseHeadersToAdd(0).getHeader().getValue())
            .isEqualTo("application/json; charset=UTF-8");
        assertThat(checkSettings(refused).getDisabled()).isTrue();
      }
    }
  }

  @Test
  void aLabelOnlyChangeToACloudStorageBucketPushesNothingAndReplicasAgree() throws Exception {
    http.post("/admin/buckets", admin, gcsBucket("xds-gcs-labelled"));
    try (EnvoyAdsClient envoy = new EnvoyAdsClient("ingress-7", "ingress").connect(xdsPort(0))) {
      envoy.await(e -> !jsonApiRoutes(e.routes(), "xds-gcs-labelled").isEmpty(), WAIT);
      String routes = envoy.acceptedVersion(EnvoyAdsClient.ROUTES);
      awaitTrue(() -> routes.equals(
          cluster.replica(1).xds().snapshot("ingress").routes().version()));
      long before = envoy.receivedOf(EnvoyAdsClient.ROUTES);

      assertThat(http.patch("/admin/buckets/xds-gcs-labelled", admin,
          "{\"labels\": {\"team\": \"imaging\"}}").status()).isEqualTo(200);
      Thread.sleep(1_000);
      assertThat(envoy.receivedOf(EnvoyAdsClient.ROUTES)).as("nothing routed changed")
          .isEqualTo(before);
      assertThat(cluster.replica(0).xds().snapshot("ingress").routes().version())
          .isEqualTo(routes);
      assertThat(cluster.replica(1).xds().snapshot("ingress").routes().version())
          .isEqualTo(routes);
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static Optional<Route> route(RouteConfiguration routes, String bucket) {
    if (routes == null) {
      return Optional.empty();
    }
    return routes.getVirtualHostsList().stream()
        .filter(v -> v.getName().equals("path_style"))
        .flatMap(v -> v.getRoutesList().stream())
        .filter(r -> r.getMatch().getPathSeparatedPrefix().equals("/" + bucket))
        .findFirst();
  }

  private static List<Route> pathStyle(RouteConfiguration routes) {
    return routes.getVirtualHostsList().stream()
        .filter(v -> v.getName().equals("path_style"))
        .findFirst().orElseThrow().getRoutesList();
  }

  /** The routes whose match names the bucket in a Cloud Storage JSON API path, in order. */
  private static List<Route> jsonApiRoutes(RouteConfiguration routes, String bucket) {
    if (routes == null) {
      return List.of();
    }
    return pathStyle(routes).stream()
        .filter(r -> r.getMatch().toString().contains("/storage/v1/b/" + bucket + "\"")
            || r.getMatch().toString().contains("/storage/v1/b/" + bucket + "/"))
        .toList();
  }

  private static ExtAuthzPerRoute checkSettings(Route route) {
    try {
      return route.getTypedPerFilterConfigOrThrow("envoy.filters.http.ext_authz")
          .unpack(ExtAuthzPerRoute.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
