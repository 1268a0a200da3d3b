package dev.storagegateway.controlplane.xds;

import dev.storagegateway.registry.BucketDomain;
import dev.storagegateway.servertls.ServerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the xDS server serves and how the generated configuration looks.
 *
 * @param address where Envoys connect (ADS, state-of-the-world and delta)
 * @param listeners the listener address of each node group ({@code ingress}, {@code sidecar});
 *     a node whose metadata names another group is sent no configuration ({@link NodeGroups})
 * @param defaultGroup the group of a node that names none
 * @param bucketDomain requests to {@code <bucket>.<bucketDomain>} address that bucket
 *     (virtual-hosted style); null for path-style only
 * @param authzCluster the cluster, defined in the bootstrap, that reaches the data plane's
 *     ext_authz gRPC service
 * @param gatewayHttpCluster the cluster, defined in the bootstrap beside the authz cluster, that
 *     reaches the data plane's HTTP port, where its STS endpoint and presigned-URL API answer
 * @param authzTimeout how long Envoy waits for a Check
 * @param upstreamCaFile the CA bundle, on Envoy's file system, that verifies TLS upstreams
 * @param coalesceDelay how long a rebuild waits for further registry changes
 * @param removedClusterGrace how long a cluster stays after the last route to it went, so that
 *     Envoys apply the routes before the cluster is removed ({@link RetiringClusters})
 * @param storageDns who resolves storage endpoint names for Envoy
 * @param storageDnsRefresh how often the control plane resolves them again, when it does
 * @param envoyAccessLog what each pushed listener logs for every request
 * @param tls TLS, or mutual TLS, for the xDS server; empty for plaintext
 */
public record XdsSettings(
    InetSocketAddress address,
    Map<String, InetSocketAddress> listeners,
    String defaultGroup,
    String bucketDomain,
    String authzCluster,
    String gatewayHttpCluster,
    Duration authzTimeout,
    String upstreamCaFile,
    Duration coalesceDelay,
    Duration removedClusterGrace,
    StorageDns storageDns,
    Duration storageDnsRefresh,
    EnvoyAccessLog envoyAccessLog,
    Optional<ServerTls> tls) {

  public static final String INGRESS = "ingress";
  public static final String SIDECAR = "sidecar";
  /** The JDK keeps a name's answer 30 s, so resolving more often would see the same one. */
  public static final Duration DEFAULT_STORAGE_DNS_REFRESH = Duration.ofSeconds(30);

  public XdsSettings {
    Objects.requireNonNull(address, "address");
    bucketDomain = bucketDomain == null ? null : BucketDomain.normalize(bucketDomain);
    listeners = Map.copyOf(listeners);
    if (!listeners.containsKey(defaultGroup)) {
      throw new IllegalArgumentException("the default node group '" + defaultGroup
          + "' has no listener; groups: " + listeners.keySet());
    }
    Objects.requireNonNull(authzCluster, "authzCluster");
    Objects.requireNonNull(gatewayHttpCluster, "gatewayHttpCluster");
    Objects.requireNonNull(authzTimeout, "authzTimeout");
    Objects.requireNonNull(upstreamCaFile, "upstreamCaFile");
    Objects.requireNonNull(coalesceDelay, "coalesceDelay");
    Objects.requireNonNull(removedClusterGrace, "removedClusterGrace");
    Objects.requireNonNull(storageDns, "storageDns");
    Objects.requireNonNull(envoyAccessLog, "envoyAccessLog");
    Objects.requireNonNull(tls, "tls");
    if (storageDnsRefresh.isNegative() || storageDnsRefresh.isZero()) {
      throw new IllegalArgumentException("the storage DNS refresh (--storage-dns-refresh) must"
          + " be a positive duration such as PT30S, not " + storageDnsRefresh);
    }
  }

  /**
   * Ingress on 0.0.0.0:10000, sidecar on 127.0.0.1:15001, the clusters the bootstraps in
   * {@code envoy/} define, the system CA bundle, removed clusters kept 10 s, storage names
   * resolved by the control plane every 30 s, text access logs, plaintext xDS.
   */
  public static XdsSettings defaults(InetSocketAddress address, String bucketDomain) {
    return new XdsSettings(address, Map.of(
            INGRESS, new InetSocketAddress("0.0.0.0", 10000),
            SIDECAR, new InetSocketAddress("127.0.0.1", 15001)),
        INGRESS, bucketDomain, "storage_gateway_authz", "storage_gateway_http",
        Duration.ofMillis(500), "/etc/ssl/certs/ca-certificates.crt", Duration.ofMillis(50),
        Duration.ofSeconds(10), StorageDns.CONTROL_PLANE, DEFAULT_STORAGE_DNS_REFRESH,
        EnvoyAccessLog.TEXT, Optional.empty());
  }

  public XdsSettings withRemovedClusterGrace(Duration grace) {
    return new XdsSettings(address, listeners, defaultGroup, bucketDomain, authzCluster,
        gatewayHttpCluster, authzTimeout, upstreamCaFile, coalesceDelay, grace, storageDns,
        storageDnsRefresh, envoyAccessLog, tls);
  }

  public XdsSettings withStorageDns(StorageDns dns, Duration refresh) {
    return new XdsSettings(address, listeners, defaultGroup, bucketDomain, authzCluster,
        gatewayHttpCluster, authzTimeout, upstreamCaFile, coalesceDelay, removedClusterGrace, dns,
        refresh, envoyAccessLog, tls);
  }

  public XdsSettings withTls(ServerTls serverTls) {
    return new XdsSettings(address, listeners, defaultGroup, bucketDomain, authzCluster,
        gatewayHttpCluster, authzTimeout, upstreamCaFile, coalesceDelay, removedClusterGrace,
        storageDns, storageDnsRefresh, envoyAccessLog, Optional.of(serverTls));
  }

  public List<String> groups() {
    return listeners.keySet().stream().sorted().toList();
  }
}
