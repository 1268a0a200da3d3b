package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamClustersTest {
  private static final String CA = "/etc/ssl/certs/ca.pem";
  private final StorageAddresses addresses = new StorageAddresses(
      host -> host.equals("s3.example.org")
          ? List.of(InetAddress.getByName("203.0.113.20"), InetAddress.getByName("203.0.113.10"))
          : List.of(),
      address -> !address.isSiteLocalAddress(), Duration.ofHours(1), new SimpleMeterRegistry());
  private final UpstreamClusters clusters = UpstreamClusters.resolvedBy(CA, addresses);

  @AfterEach
  void close() {
    addresses.close();
  }

  private Cluster clusterFor(StorageEndpoint endpoint) {
    return clusters.build(List.of(endpoint)).get(0);
  }

  private static UpstreamTlsContext tlsOf(Cluster cluster) throws Exception {
    return cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
  }

  private static String addressOf(Cluster cluster) {
    return cluster.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint()
        .getAddress().getSocketAddress().getAddress();
  }

  @Test
  void aNamedEndpointGetsTheAddressesResolvedHereOverEdsAndIsVerifiedByName() throws Exception {
    StorageEndpoint endpoint = new StorageEndpoint("s3.example.org", 443, true);
    Cluster cluster = clusterFor(endpoint);

    assertThat(cluster.getName()).isEqualTo("storage_s3_example_org_443_tls");
    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(cluster.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(cluster.hasLoadAssignment()).isFalse();
    UpstreamTlsContext tls = tlsOf(cluster);
    assertThat(tls.getSni()).isEqualTo("s3.example.org");
    SubjectAltNameMatcher san = tls.getCommonTlsContext().getValidationContext()
        .getMatchTypedSubjectAltNames(0);
    assertThat(san.getSanType()).isEqualTo(SubjectAltNameMatcher.SanType.DNS);
    assertThat(san.getMatcher().getExact()).isEqualTo("s3.example.org");

    assertThat(clusters.assignments(List.of(endpoint)).get(0).getEndpoints(0)
        .getLbEndpointsList()).as("no address until the first lookup ends").isEmpty();
    addresses.awaitLookups(Duration.ofSeconds(5));
    ClusterLoadAssignment assignment = clusters.assignments(List.of(endpoint)).get(0);
    assertThat(assignment.getClusterName()).isEqualTo(cluster.getName());
    assertThat(assignment.getEndpoints(0).getLbEndpointsList())
        .extracting(lb -> lb.getEndpoint().getAddress().getSocketAddress().getAddress(),
            lb -> lb.getEndpoint().getAddress().getSocketAddress().getPortValue(),
            lb -> lb.getEndpoint().getHostname())
        .containsExactly(tuple("203.0.113.10", 443, "s3.example.org"),
            tuple("203.0.113.20", 443, "s3.example.org"));
  }

  @Test
  void aNameEnvoyResolvesIsALogicalDnsCluster() {
    Cluster cluster = UpstreamClusters.resolvedByEnvoy(CA)
        .build(List.of(new StorageEndpoint("s3.example.org", 443, true))).get(0);

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.LOGICAL_DNS);
    assertThat(cluster.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_PREFERRED);
    assertThat(addressOf(cluster)).isEqualTo("s3.example.org");
    assertThat(UpstreamClusters.resolvedByEnvoy(CA)
        .assignments(List.of(new StorageEndpoint("s3.example.org", 443, true)))).isEmpty();
  }

  /** "name." is the same host; a certificate names it without the dot, and SNI omits it. */
  @Test
  void aTrailingDotInTheEndpointIsDropped() throws Exception {
    StorageEndpoint endpoint = StorageEndpoint.of(Bucket.builder().name("dotted")
        .provider(Provider.GCP).authMode(AuthMode.PUBLIC)
        .endpoint("https://Storage.GoogleAPIs.com.").build());

    assertThat(endpoint.host()).isEqualTo("storage.googleapis.com");
    UpstreamTlsContext tls = tlsOf(clusterFor(endpoint));
    assertThat(tls.getSni()).isEqualTo("storage.googleapis.com");
    assertThat(tls.getCommonTlsContext().getValidationContext().getMatchTypedSubjectAltNames(0)
        .getMatcher().getExact()).isEqualTo("storage.googleapis.com");
  }

  private List<String> assignedAddresses(StorageEndpoint endpoint) {
    clusters.assignments(List.of(endpoint));
    addresses.awaitLookups(Duration.ofSeconds(5));
    return clusters.assignments(List.of(endpoint)).get(0).getEndpoints(0).getLbEndpointsList()
        .stream().map(lb -> lb.getEndpoint().getAddress().getSocketAddress().getAddress())
        .toList();
  }

  /**
   * An address is checked as a name's addresses are, so that narrowing the allowed ranges
   * applies to endpoints registered before; a certificate names it as an IP SAN, and TLS sends
   * no server name for it.
   */
  @Test
  void anAddressIsCheckedHereAndVerifiedAsAnAddress() throws Exception {
    for (StorageEndpoint endpoint : List.of(new StorageEndpoint("[2001:db8::1]", 9000, true),
        new StorageEndpoint("203.0.113.10", 443, true))) {
      Cluster cluster = clusterFor(endpoint);

      assertThat(cluster.getName()).matches("storage_[A-Za-z0-9_-]+_tls");
      assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
      assertThat(assignedAddresses(endpoint)).containsExactly(endpoint.address());
      assertThat(clusters.assignments(List.of(endpoint)).get(0).getEndpoints(0)
          .getLbEndpoints(0).getEndpoint().getHostname()).isEmpty();
      UpstreamTlsContext tls = tlsOf(cluster);
      assertThat(tls.getSni()).isEmpty();
      SubjectAltNameMatcher san = tls.getCommonTlsContext().getValidationContext()
          .getMatchTypedSubjectAltNames(0);
      assertThat(san.getSanType()).isEqualTo(SubjectAltNameMatcher.SanType.IP_ADDRESS);
      assertThat(san.getMatcher().getExact()).isEqualTo(endpoint.address());
    }
    assertThat(new StorageEndpoint("[2001:db8::1]", 9000, true).authority())
        .isEqualTo("[2001:db8::1]:9000");
  }

  @Test
  void anAddressThePolicyNoLongerAdmitsGetsNoEndpoint() {
    assertThat(assignedAddresses(new StorageEndpoint("10.0.0.5", 443, true))).isEmpty();
  }

  /** Envoy cannot resolve "[2001:db8::1]": where it resolves names, an address is static. */
  @Test
  void anAddressEnvoyConnectsToIsStatic() {
    StorageEndpoint endpoint = new StorageEndpoint("[2001:db8::1]", 9000, true);
    Cluster cluster = UpstreamClusters.resolvedByEnvoy(CA).build(List.of(endpoint)).get(0);

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(addressOf(cluster)).isEqualTo("2001:db8::1");
  }

  /** A duplicate cluster name fails the whole snapshot, every bucket's change with it. */
  @Test
  void anAddressAndANameSpeltAlikeGetClustersOfTheirOwn() {
    List<StorageEndpoint> alike = List.of(new StorageEndpoint("[1:2:3:4:5:6:7:ab]", 443, true),
        new StorageEndpoint("1.2.3.4.5.6.7.ab", 443, true),
        new StorageEndpoint("[::ffff:1.2.3.4]", 443, true),
        new StorageEndpoint("1.2.3.4", 443, true));

    assertThat(alike).extracting(UpstreamClusters::nameOf).doesNotHaveDuplicates()
        .allMatch(name -> name.matches("[A-Za-z0-9_-]+"));
  }

  @Test
  void anIpv6AddressIsMatchedInTheFormEnvoyPrintsIt() throws Exception {
    StorageEndpoint endpoint = new StorageEndpoint("[2001:db8:0:0::1]", 443, true);

    assertThat(assignedAddresses(endpoint)).containsExactly("2001:db8::1");
    assertThat(tlsOf(clusterFor(endpoint)).getCommonTlsContext().getValidationContext()
        .getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("2001:db8::1");
  }
}
