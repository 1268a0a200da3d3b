package dev.storagegateway.controlplane.xds;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One cluster per distinct storage endpoint, with TLS verified against the CA bundle and the
 * endpoint's name (SNI and subject alternative name) or address when the endpoint is https.
 * Its addresses are checked here and sent over EDS, one load assignment per cluster: a name's as
 * it resolves now, an IP address's as long as the endpoint policy still admits it
 * ({@link StorageDns#CONTROL_PLANE}). Or Envoy resolves names itself and connects to an IP
 * address as it is ({@link StorageDns#ENVOY}).
 */
final class UpstreamClusters {
  private static final Duration CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();

  private final String caFile;
  /** Where names are resolved here; null when Envoy resolves them. */
  private final StorageAddresses addresses;

  private UpstreamClusters(String caFile, StorageAddresses addresses) {
    this.caFile = caFile;
    this.addresses = addresses;
  }

  /** Names resolved by {@code addresses}, whose load assignments Envoy gets over EDS. */
  static UpstreamClusters resolvedBy(String caFile, StorageAddresses addresses) {
    return new UpstreamClusters(caFile, Objects.requireNonNull(addresses));
  }

  /** Names resolved by Envoy itself. */
  static UpstreamClusters resolvedByEnvoy(String caFile) {
    return new UpstreamClusters(caFile, null);
  }

  /** @param endpoints distinct, as {@link RetiringClusters} serves them */
  List<Cluster> build(Collection<StorageEndpoint> endpoints) {
    return endpoints.stream()
        .sorted(Comparator.comparing(UpstreamClusters::nameOf))
        .map(this::cluster).toList();
  }

  /**
   * The load assignments of the clusters whose addresses are checked here, each with its
   * endpoint's current admitted addresses (none while a name is first looked up, or when it
   * resolves only into the internal network, or an address the policy no longer admits);
   * endpoints no bucket has any more are forgotten.
   */
  List<ClusterLoadAssignment> assignments(Collection<StorageEndpoint> endpoints) {
    if (addresses == null) {
      return List.of();
    }
    List<StorageEndpoint> sorted = endpoints.stream()
        .sorted(Comparator.comparing(UpstreamClusters::nameOf)).toList();
    addresses.retainOnly(sorted.stream().map(StorageEndpoint::address)
        .collect(Collectors.toSet()));
    return sorted.stream().map(endpoint -> assignment(endpoint,
        addresses.of(endpoint.address()).stream().map(InetAddresses::toAddrString).toList()))
        .toList();
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
        .setConnectTimeout(CONNECT_TIMEOUT);
    if (addresses != null) {
      cluster.setType(Cluster.DiscoveryType.EDS)
          .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
              .setEdsConfig(ConfigSource.newBuilder()
                  .setAds(AggregatedConfigSource.getDefaultInstance())
                  .setResourceApiVersion(ApiVersion.V3)));
    } else if (endpoint.isIpAddress()) {
      cluster.setType(Cluster.DiscoveryType.STATIC)
          .setLoadAssignment(assignment(endpoint, List.of(addressOf(endpoint))));
    } else {
      cluster.setType(Cluster.DiscoveryType.LOGICAL_DNS)
          .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED)
          .setLoadAssignment(assignment(endpoint, List.of(endpoint.address())));
    }
    if (endpoint.tls()) {
      cluster.setTransportSocket(TransportSocket.newBuilder()
          .setName("envoy.transport_sockets.tls")
          .setTypedConfig(Any.pack(tls(endpoint))));
    }
    return cluster.build();
  }

  /**
   * The cluster's endpoints. Each carries the endpoint's name, which Envoy uses where a feature
   * needs the host rather than the address it connects to.
   */
  private static ClusterLoadAssignment assignment(StorageEndpoint endpoint,
      List<String> connectTo) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String address : connectTo) {
      locality.addLbEndpoints(LbEndpoint.newBuilder()
          .setEndpoint(Endpoint.newBuilder()
              .setHostname(endpoint.isIpAddress() ? "" : endpoint.address())
              .setAddress(Address.newBuilder()
                  .setSocketAddress(SocketAddress.newBuilder()
                      .setAddress(address)
                      .setPortValue(endpoint.port())))));
    }
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(UpstreamClusters.nameOf(endpoint))
        .addEndpoints(locality)
        .build();
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
