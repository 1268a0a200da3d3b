package dev.storagegateway.extauthz.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The TLS clusters the docs show, the ext_authz cluster of docs/data-plane.md and the xDS cluster
 * of docs/xds.md, are ones Envoy takes: each parses strictly (an unknown field or type fails),
 * with its load assignment filled in.
 */
class DocumentedTlsClusterTest {
  private static final Pattern SECTION_YAML = Pattern.compile(
      "### TLS for the ext_authz service.*?```yaml\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern XDS_SECTION_YAML = Pattern.compile(
      "## TLS\\n.*?```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theDocumentedClusterParsesStrictly() throws Exception {
    Matcher section = SECTION_YAML.matcher(
        EnvoyBootstrap.read(EnvoyBootstrap.repositoryFile("docs/data-plane.md")));
    assertThat(section.find()).as("docs/data-plane.md has the TLS section's YAML").isTrue();
    String cluster = section.group(1).replace("  load_assignment: ...", """
          load_assignment:
            cluster_name: storage_gateway_authz
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: {address: data-plane.storage-gateway.svc, port_value: 9001}
        """);
    String bootstrap = "static_resources:\n  clusters:\n"
        + cluster.indent(2);

    Bootstrap parsed = EnvoyBootstrap.parse(bootstrap);

    Cluster authz = parsed.getStaticResources().getClusters(0);
    UpstreamTlsContext tls = authz.getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("data-plane.storage-gateway.svc");
    assertThat(tls.getCommonTlsContext().getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/etc/envoy/tls/ca.crt");
    assertThat(tls.getCommonTlsContext().getTlsCertificatesCount()).isEqualTo(1);
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList())
        .as("grpc-java's server takes only connections that negotiated h2").containsExactly("h2");
    assertThat(authz.getLoadAssignment().getEndpointsCount()).isEqualTo(1);
  }

  @Test
  void theDocumentedXdsClusterParsesStrictly() throws Exception {
    Matcher section = XDS_SECTION_YAML.matcher(
        EnvoyBootstrap.read(EnvoyBootstrap.repositoryFile("docs/xds.md")));
    assertThat(section.find()).as("docs/xds.md has the TLS section's YAML").isTrue();
    String cluster = section.group(1).replace("  load_assignment: ...", """
          load_assignment:
            cluster_name: xds_cluster
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: {address: control-plane.storage-gateway.svc, port_value: 18000}
        """);

    Cluster xds = EnvoyBootstrap.parse("static_resources:\n  clusters:\n" + cluster.indent(2))
        .getStaticResources().getClusters(0);

    UpstreamTlsContext tls = xds.getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class);
    assertThat(xds.getName()).isEqualTo("xds_cluster");
    assertThat(tls.getSni()).isEqualTo("control-plane.storage-gateway.svc");
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
    assertThat(tls.getCommonTlsContext().getTlsCertificatesCount()).isEqualTo(1);
  }
}
