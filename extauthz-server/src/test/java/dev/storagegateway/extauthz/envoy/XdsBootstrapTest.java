package dev.storagegateway.extauthz.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The xDS bootstraps ({@code envoy/ingress.yaml}, {@code envoy/sidecar.yaml} and the compose
 * quickstart's {@code deploy/compose/envoy.yaml}) read as Envoy reads them (strictly, into
 * {@link Bootstrap}), and what the control plane's xDS server relies on: ADS with the node on
 * every message, the node group, the clusters the ADS stream, the pushed listener and the pushed
 * routes name, admin on loopback. Also: every file in {@code envoy/} is parsed by some test, so a
 * new bootstrap cannot be added without one. Needs no Docker and no Envoy; whether Envoy accepts
 * what the control plane pushes is not checked here.
 */
class XdsBootstrapTest {
  /**
   * The cluster the pushed listener's ext_authz filter calls: the control plane's --authz-cluster
   * default.
   */
  private static final String AUTHZ_CLUSTER = "storage_gateway_authz";
  /** Where the pushed routes send the data plane's own endpoints (--gateway-http-cluster). */
  private static final String HTTP_CLUSTER = "storage_gateway_http";
  private static final String XDS_CLUSTER = "xds_cluster";
  /** The node metadata key the control plane groups by (NodeGroups in the control plane). */
  private static final String GROUP_KEY = "storage_gateway_group";

  static final Map<String, String> XDS_VALUES = Map.of(
      "GATEWAY_XDS_HOST", "storage-gateway-control-plane.gateway.svc",
      "GATEWAY_XDS_PORT", "18000",
      "GATEWAY_HOST", "storage-gateway-data-plane-grpc.gateway.svc",
      "GATEWAY_GRPC_PORT", "9001",
      "GATEWAY_HTTP_PORT", "9002");

  /** What deploy/compose/envoy.yaml must be: envoy/ingress.yaml with these values. */
  static final Map<String, String> COMPOSE_VALUES = Map.of(
      "GATEWAY_XDS_HOST", "control-plane",
      "GATEWAY_XDS_PORT", "18000",
      "GATEWAY_HOST", "data-plane",
      "GATEWAY_GRPC_PORT", "9001",
      "GATEWAY_HTTP_PORT", "9002");

  /**
   * Every bootstrap in {@code envoy/} with the placeholder values its tests render it with. A file
   * added to {@code envoy/} without an entry here (and assertions of its own) fails
   * {@link #everyFileInTheEnvoyFolderIsKnownAndParsesStrictly}.
   */
  static final Map<String, Map<String, String>> ENVOY_FILES = Map.of(
      EnvoyBootstrap.GRPC_FILE, StaticEnvoyConfigTest.GRPC_VALUES,
      EnvoyBootstrap.HTTP_FILE, StaticEnvoyConfigTest.HTTP_VALUES,
      EnvoyBootstrap.INGRESS_FILE, XDS_VALUES,
      EnvoyBootstrap.SIDECAR_FILE, XDS_VALUES);

  /** The xDS bootstraps and the node group each must land in. */
  private static final Map<String, String> XDS_GROUPS = Map.of(
      EnvoyBootstrap.INGRESS_FILE, "ingress",
      EnvoyBootstrap.SIDECAR_FILE, "sidecar");

  @Test
  void everyFileInTheEnvoyFolderIsKnownAndParsesStrictly() throws Exception {
    Set<String> present;
    try (Stream<Path> files = Files.list(EnvoyBootstrap.directory())) {
      present = files.map(file -> file.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> known = new TreeSet<>(ENVOY_FILES.keySet());
    known.add("README.md");
    assertThat(present)
        .as("every file in envoy/ needs placeholder values in XdsBootstrapTest.ENVOY_FILES and "
            + "assertions of its own; a file listed there must exist")
        .isEqualTo(known);
    for (Map.Entry<String, Map<String, String>> file : ENVOY_FILES.entrySet()) {
      String name = file.getKey();
      assertThat(EnvoyBootstrap.documentedPlaceholders(name))
          .as("placeholders documented at the top of envoy/" + name)
          .isEqualTo(EnvoyBootstrap.placeholders(EnvoyBootstrap.toJson(EnvoyBootstrap.raw(name))))
          .isEqualTo(file.getValue().keySet());
      Bootstrap bootstrap = EnvoyBootstrap.parse(EnvoyBootstrap.render(name, file.getValue()));
      assertAdminOutOfReach("envoy/" + name, bootstrap);
    }
  }

  @Test
  void xdsBootstrapsUseAdsAndSendTheNodeOnEveryMessage() throws Exception {
    for (Map.Entry<String, Bootstrap> file : xdsBootstraps().entrySet()) {
      String name = file.getKey();
      Bootstrap bootstrap = file.getValue();
      ApiConfigSource ads = bootstrap.getDynamicResources().getAdsConfig();
      assertThat(ads.getApiType()).as(name).isEqualTo(ApiConfigSource.ApiType.GRPC);
      assertThat(ads.getTransportApiVersion()).as(name).isEqualTo(ApiVersion.V3);
      assertThat(ads.getSetNodeOnFirstMessageOnly())
          .as(name + ": the control plane groups nodes by the node of every request").isFalse();
      assertThat(ads.getGrpcServicesList()).as(name).hasSize(1);
      assertThat(ads.getGrpcServices(0).getEnvoyGrpc().getClusterName()).as(name)
          .isEqualTo(XDS_CLUSTER);

      for (ConfigSource source : List.of(bootstrap.getDynamicResources().getCdsConfig(),
          bootstrap.getDynamicResources().getLdsConfig())) {
        assertThat(source.hasAds()).as(name + ": CDS and LDS over the ADS stream").isTrue();
        assertThat(source.getResourceApiVersion()).as(name).isEqualTo(ApiVersion.V3);
      }
      assertThat(bootstrap.getStaticResources().getListenersList())
          .as(name + ": the listener comes from the control plane").isEmpty();
      assertAdminOutOfReach(name, bootstrap);
    }
  }

  /**
   * Admin on loopback, where only the Envoy's own container can reach it; a sidecar's loopback is
   * shared with the application, so its admin is a Unix socket in a volume only Envoy mounts.
   */
  private static void assertAdminOutOfReach(String name, Bootstrap bootstrap) {
    if (name.endsWith(EnvoyBootstrap.SIDECAR_FILE)) {
      assertThat(bootstrap.getAdmin().getAddress().getPipe().getPath())
          .as(name + ": the sidecar's admin must be a Unix socket")
          .isEqualTo("/envoy-admin/admin.sock");
    } else {
      assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getAddress())
          .as(name + ": admin must stay on loopback").isEqualTo("127.0.0.1");
    }
  }

  @Test
  void clustersNamedByTheAdsStreamAndThePushedConfigurationAreDefinedGrpcOnesWithHttp2()
      throws Exception {
    for (Map.Entry<String, Bootstrap> file : xdsBootstraps().entrySet()) {
      String name = file.getKey();
      Bootstrap bootstrap = file.getValue();
      Set<String> named = new LinkedHashSet<>();
      for (GrpcService service : bootstrap.getDynamicResources().getAdsConfig()
          .getGrpcServicesList()) {
        named.add(service.getEnvoyGrpc().getClusterName());
      }
      named.add(AUTHZ_CLUSTER);
      named.add(HTTP_CLUSTER);

      Map<String, Cluster> defined = new LinkedHashMap<>();
      for (Cluster cluster : bootstrap.getStaticResources().getClustersList()) {
        assertThat(defined.put(cluster.getName(), cluster)).as(name + ": duplicate cluster "
            + cluster.getName()).isNull();
        assertThat(cluster.getLoadAssignment().getClusterName()).isEqualTo(cluster.getName());
      }
      assertThat(defined.keySet()).as(name).containsExactlyInAnyOrderElementsOf(named);
      for (Cluster cluster : defined.values()) {
        assertThat(cluster.getType()).as(name + " " + cluster.getName())
            .isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        if (cluster.getName().equals(HTTP_CLUSTER)) {
          assertThat(cluster.getTypedExtensionProtocolOptionsMap())
              .as(name + ": the data plane's HTTP port speaks HTTP/1.1").isEmpty();
          continue;
        }
        HttpProtocolOptions protocol = cluster.getTypedExtensionProtocolOptionsOrThrow(
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
            .unpack(HttpProtocolOptions.class);
        assertThat(protocol.getExplicitHttpConfig().hasHttp2ProtocolOptions())
            .as(name + " " + cluster.getName() + ": gRPC needs HTTP/2").isTrue();
      }
    }
  }

  @Test
  void renderedEndpointsAreThePlaceholderValues() throws Exception {
    for (String name : XDS_GROUPS.keySet()) {
      Bootstrap bootstrap = EnvoyBootstrap.parse(EnvoyBootstrap.render(name, XDS_VALUES));
      assertThat(endpoint(bootstrap, XDS_CLUSTER).getAddress())
          .isEqualTo(XDS_VALUES.get("GATEWAY_XDS_HOST"));
      assertThat(endpoint(bootstrap, XDS_CLUSTER).getPortValue()).isEqualTo(18000);
      assertThat(endpoint(bootstrap, AUTHZ_CLUSTER).getAddress())
          .isEqualTo(XDS_VALUES.get("GATEWAY_HOST"));
      assertThat(endpoint(bootstrap, AUTHZ_CLUSTER).getPortValue()).isEqualTo(9001);
      assertThat(endpoint(bootstrap, HTTP_CLUSTER).getAddress())
          .isEqualTo(XDS_VALUES.get("GATEWAY_HOST"));
      assertThat(endpoint(bootstrap, HTTP_CLUSTER).getPortValue()).isEqualTo(9002);
    }
  }

  @Test
  void nodeNamesItsGroupInClusterAndMetadata() throws Exception {
    for (Map.Entry<String, String> file : XDS_GROUPS.entrySet()) {
      Bootstrap bootstrap = EnvoyBootstrap.parse(EnvoyBootstrap.render(file.getKey(), XDS_VALUES));
      assertThat(bootstrap.getNode().getId()).as(file.getKey()).isNotBlank();
      assertThat(bootstrap.getNode().getCluster()).as(file.getKey()).isEqualTo(file.getValue());
      assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow(GROUP_KEY).getStringValue())
          .as(file.getKey() + ": metadata survives --service-cluster").isEqualTo(file.getValue());
    }
    Bootstrap compose = EnvoyBootstrap.parse(EnvoyBootstrap.read(
        EnvoyBootstrap.repositoryFile(EnvoyBootstrap.COMPOSE_FILE)));
    assertThat(compose.getNode().getMetadata().getFieldsOrThrow(GROUP_KEY).getStringValue())
        .isEqualTo("ingress");
  }

  @Test
  void composeBootstrapIsTheIngressBootstrapWithComposeHostNames() throws Exception {
    String composeText = EnvoyBootstrap.read(
        EnvoyBootstrap.repositoryFile(EnvoyBootstrap.COMPOSE_FILE));
    assertThat(EnvoyBootstrap.placeholders(EnvoyBootstrap.toJson(composeText)))
        .as("placeholders left in " + EnvoyBootstrap.COMPOSE_FILE).isEmpty();
    assertThat(EnvoyBootstrap.parse(composeText))
        .as(EnvoyBootstrap.COMPOSE_FILE + " must say what envoy/ingress.yaml says")
        .isEqualTo(EnvoyBootstrap.parse(
            EnvoyBootstrap.render(EnvoyBootstrap.INGRESS_FILE, COMPOSE_VALUES)));
  }

  @Test
  void theParserRefusesAMisspelledAdsField() {
    String valid = EnvoyBootstrap.render(EnvoyBootstrap.INGRESS_FILE, XDS_VALUES);
    String misspelled = valid.replace("set_node_on_first_message_only: false",
        "set_node_on_first_message: false");
    assertThat(misspelled).isNotEqualTo(valid);
    assertThatThrownBy(() -> EnvoyBootstrap.parse(misspelled))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("set_node_on_first_message");
  }

  /** ingress, sidecar (rendered) and the compose file, by name. */
  private static Map<String, Bootstrap> xdsBootstraps() throws IOException {
    Map<String, Bootstrap> bootstraps = new LinkedHashMap<>();
    for (String name : XDS_GROUPS.keySet()) {
      bootstraps.put("envoy/" + name,
          EnvoyBootstrap.parse(EnvoyBootstrap.render(name, XDS_VALUES)));
    }
    bootstraps.put(EnvoyBootstrap.COMPOSE_FILE, EnvoyBootstrap.parse(EnvoyBootstrap.read(
        EnvoyBootstrap.repositoryFile(EnvoyBootstrap.COMPOSE_FILE))));
    return bootstraps;
  }

  private static SocketAddress endpoint(Bootstrap bootstrap, String cluster) {
    return bootstrap.getStaticResources().getClustersList().stream()
        .filter(candidate -> candidate.getName().equals(cluster)).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + cluster))
        .getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress();
  }
}
