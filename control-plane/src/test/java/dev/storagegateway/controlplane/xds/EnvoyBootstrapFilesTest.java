package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The xDS bootstraps in {@code envoy/} (and the compose quickstart's) against this server's own
 * code: the node each declares lands in the node group it is written for, even when Envoy's
 * {@code --service-cluster} renames its cluster, the listener this server pushes to that group
 * calls an ext_authz cluster the bootstrap defines, and the pushed routes send the data plane's own
 * endpoints to a cluster the bootstrap defines. The bootstraps' own shape is checked in
 * extauthz-server's {@code XdsBootstrapTest}.
 */
class EnvoyBootstrapFilesTest {
  private static final XdsSettings DEFAULTS =
      XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 18000), null);
  private static final NodeGroups GROUPS =
      new NodeGroups(DEFAULTS.listeners().keySet(), DEFAULTS.defaultGroup());

  /** Repository path of each bootstrap, and the group its Envoy must get. */
  private static final Map<String, String> FILES = Map.of(
      "envoy/ingress.yaml", XdsSettings.INGRESS,
      "envoy/sidecar.yaml", XdsSettings.SIDECAR,
      "deploy/compose/envoy.yaml", XdsSettings.INGRESS);

  @Test
  void eachBootstrapsNodeLandsInItsGroupWhateverItsCluster() throws Exception {
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      Node node = bootstrap(file.getKey()).getNode();
      assertThat(GROUPS.hash(node)).as(file.getKey()).isEqualTo(file.getValue());
      Node renamed = node.toBuilder().setCluster("payments-app").build();
      assertThat(GROUPS.hash(renamed))
          .as(file.getKey() + " with --service-cluster payments-app: the metadata decides")
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void thePushedListenersAuthzClusterIsDefinedInEachBootstrap() throws Exception {
    GatewayListeners listeners =
        new GatewayListeners(DEFAULTS.authzCluster(), DEFAULTS.authzTimeout(),
            DEFAULTS.envoyAccessLog());
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      Listener listener = listeners.build(file.getValue(),
          DEFAULTS.listeners().get(file.getValue()));
      HttpConnectionManager manager = listener.getFilterChains(0).getFilters(0).getTypedConfig()
          .unpack(HttpConnectionManager.class);
      String authzCluster = manager.getHttpFiltersList().stream()
          .filter(filter -> filter.getName().equals(BucketRoutes.EXT_AUTHZ_FILTER))
          .findFirst().orElseThrow().getTypedConfig().unpack(ExtAuthz.class)
          .getGrpcService().getEnvoyGrpc().getClusterName();
      Set<String> defined = bootstrap(file.getKey()).getStaticResources().getClustersList()
          .stream().map(Cluster::getName).collect(Collectors.toSet());
      assertThat(defined).as(file.getKey()).contains(authzCluster);
      assertThat(manager.getRds().getConfigSource().hasAds())
          .as("routes come over the bootstrap's ADS stream").isTrue();
      assertThat(bootstrap(file.getKey()).getDynamicResources().hasAdsConfig()).isTrue();
    }
  }

  @Test
  void thePushedRoutesToTheDataPlanesEndpointsGoToAClusterEachBootstrapDefines()
      throws Exception {
    RouteConfiguration routes =
        new BucketRoutes(DEFAULTS.bucketDomain(), DEFAULTS.gatewayHttpCluster())
            .build(List.of()).resource();
    Set<String> routedTo = routes.getVirtualHostsList().stream()
        .flatMap(host -> host.getRoutesList().stream())
        .filter(route -> route.hasRoute())
        .map(route -> route.getRoute().getCluster())
        .collect(Collectors.toSet());
    assertThat(routedTo).as("with no bucket, only the data plane's own endpoints are forwarded")
        .containsExactly(DEFAULTS.gatewayHttpCluster());
    for (String file : FILES.keySet()) {
      Set<String> defined = bootstrap(file).getStaticResources().getClustersList()
          .stream().map(Cluster::getName).collect(Collectors.toSet());
      assertThat(defined).as(file).containsAll(routedTo);
    }
  }

  /** Parsed strictly; placeholders are left in place (they are in strings or ports only). */
  private static Bootstrap bootstrap(String relative) throws Exception {
    String yaml = Files.readString(repositoryFile(relative))
        .replaceAll("port_value: GATEWAY_[A-Z_]+", "port_value: 1");
    String json = new YAMLMapper().readTree(yaml).toString();
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TypeRegistry.newBuilder()
        .add(HttpProtocolOptions.getDescriptor()).build()).merge(json, builder);
    return builder.build();
  }

  static Path repositoryFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative)) && Files.isDirectory(dir.resolve("envoy"))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
