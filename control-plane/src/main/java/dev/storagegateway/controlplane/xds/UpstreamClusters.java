package dev.storagegateway.controlplane.xds;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Collection;
import java.util.List;

/**
 * One cluster per distinct storage endpoint, found by DNS (the address Envoy connects to follows
 * the provider's DNS) unless it is an IP address, with TLS verified against the CA bundle and the
 * endpoint's name (SNI and subject alternative name) or address when the endpoint is https.
 */
final class UpstreamClusters {
  private static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  private final String caFile;

  UpstreamClusters(String caFile) {
    this.caFile = caFile;
  }

  List<Cluster> build(Collection<StorageEndpoint> endpoints) {
    return endpoints.stream().distinct()
        .sorted(java.util.Comparator.comparing(UpstreamClusters::nameOf))
        .map(this::cluster).toList();
  }

  /**
   * One name per endpoint, readable in Envoy's stats, and never one name for two: two clusters
   * of a name would fail the whole snapshot. Names are lower-case letters, digits, '-' and '.',
   * of which only '.' is replaced; an IPv6 address, whose ':' could otherwise meet a name's '.',
   * is marked by upper-case letters no name has.
   */
  static String nameOf(StorageEndpoint endpoint) {
    String address = endpoint.address();
    String readable = address.contains(":")
        ? "V6_" + address.replace(':', '-').replace('.', '_')
        : address.replace('.', '_');
    return "storage_" + readable + "_" + endpoint.port() + (endpoint.tls() ? "_tls" : "");
  }

  /**
   * Throws unless {@code endpoint}'s address can be written into a cluster (the port is
   * {@link StorageEndpoint}'s to check): one that cannot would fail the whole snapshot, every
   * bucket's routes with it.
   */
  static void requireBuildable(StorageEndpoint endpoint) {
    addressOf(endpoint);
  }

  private Cluster cluster(StorageEndpoint endpoint) {
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(UpstreamClusters.nameOf(endpoint))
        .setType(endpoint.isIpAddress() ? Cluster.DiscoveryType.STATIC
            : Cluster.DiscoveryType.LOGICAL_DNS)
        .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
        .setConnectTimeout(CONNECT_TIMEOUT)
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(UpstreamClusters.nameOf(endpoint))
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder()
                        .setAddress(Address.newBuilder()
                            .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress(addressOf(endpoint))
                                .setPortValue(endpoint.port())))))));
    if (endpoint.tls()) {
      cluster.setTransportSocket(TransportSocket.newBuilder()
          .setName("envoy.transport_sockets.tls")
          .setTypedConfig(Any.pack(tls(endpoint))));
    }
    return cluster.build();
  }

  /**
   * A name as it is; an address as Envoy prints one when it matches a certificate's IP subject
   * alternative name (RFC 5952: {@code 2001:db8::1}, however the registry spelt it).
   */
  private static String addressOf(StorageEndpoint endpoint) {
    return endpoint.isIpAddress()
        ? InetAddresses.toAddrString(InetAddresses.forString(endpoint.address()))
        : endpoint.address();
  }

  /** A name is sent as SNI and matched as a DNS name; an address (RFC 6066: no SNI) as an IP. */
  private UpstreamTlsContext tls(StorageEndpoint endpoint) {
    UpstreamTlsContext.Builder tls = UpstreamTlsContext.newBuilder();
    if (!endpoint.isIpAddress()) {
      tls.setSni(endpoint.host());
    }
    return tls.setCommonTlsContext(CommonTlsContext.newBuilder()
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setFilename(caFile))
            .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                .setSanType(endpoint.isIpAddress() ? SubjectAltNameMatcher.SanType.IP_ADDRESS
                    : SubjectAltNameMatcher.SanType.DNS)
                .setMatcher(StringMatcher.newBuilder().setExact(addressOf(endpoint))))))
        .build();
  }
}
