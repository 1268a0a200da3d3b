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
    Cluster authz = documentedCluster("docs/data-plane.md", SECTION_YAML,
        "storage_gateway_authz", "data-plane.storage-gateway.svc", 9001);

    UpstreamTlsContext tls = authz.getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class);
    assertThat(authz.getName()).isEqualTo("storage_gateway_authz");
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
    Cluster xds = documentedCluster("docs/xds.md", XDS_SECTION_YAML, "xds_cluster",
        "control-plane.storage-gateway.svc", 18000);

    UpstreamTlsContext tls = xds.getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class);
    assertThat(xds.getName()).isEqualTo("xds_cluster");
    assertThat(tls.getSni()).isEqualTo("control-plane.storage-gateway.svc");
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2");
    assertThat(tls.getCommonTlsContext().getTlsCertificatesCount()).isEqualTo(1);
  }

  /** The cluster a document's section shows, its elided load assignment filled in, parsed. */
  private static Cluster documentedCluster(String document, Pattern section, String name,
      String host, int port) throws Exception {
    Matcher yaml = section.matcher(EnvoyBootstrap.read(EnvoyBootstrap.repositoryFile(document)));
    assertThat(yaml.find()).as(document + " has the TLS section's YAML").isTrue();
    String cluster = yaml.group(1).replace("  load_assignment: ...", """
          load_assignment:
            cluster_name: %s
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: {address: %s, port_value: %d}
        """.formatted(name, host, port));
    Bootstrap parsed = EnvoyBootstrap.parse("static_resources:\n  clusters:\n"
        + cluster.indent(2));
    return parsed.getStaticResources().getClusters(0);
  }
}
