package dev.storagegateway.controlplane.xds;

import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Turns the registry into one snapshot per node group: the same routes and clusters for every
 * group, and the group's own listener. A function of the buckets, so replicas agree, but for the
 * clusters whose last route went less than {@link XdsSettings#removedClusterGrace()} ago
 * ({@link RetiringClusters}); the routes of unchanged buckets are reused from the previous build
 * ({@link BucketRoutes}).
 */
final class RegistrySnapshots {
  private final XdsSettings settings;
  private final BucketRoutes routes;
  private final UpstreamClusters clusters;
  private final RetiringClusters retiring;
  private final GatewayListeners listeners;

  /** @param clusters how storage endpoints become clusters, and their names addresses */
  RegistrySnapshots(XdsSettings settings, UpstreamClusters clusters) {
    this.settings = settings;
    this.routes =
        new BucketRoutes(settings.bucketDomain(), settings.gatewayHttpCluster());
    this.clusters = clusters;
    this.retiring = new RetiringClusters(settings.removedClusterGrace());
    this.listeners = new GatewayListeners(settings.authzCluster(), settings.authzTimeout(),
        settings.envoyAccessLog());
  }

  Map<String, StableSnapshot> build(Collection<Bucket> buckets) {
    return build(buckets, System.nanoTime());
  }

  /** @param nowNanos a {@link System#nanoTime()} reading, which retiring clusters are timed by */
  Map<String, StableSnapshot> build(Collection<Bucket> buckets, long nowNanos) {
    // Routes and clusters are the same for every group: built and hashed once.
    SnapshotResources<RouteConfiguration> routeResources = StableSnapshot.versioned(
        routes.build(buckets), RouteConfiguration::getName);
    List<StorageEndpoint> served = retiring.withRetiring(
        buckets.stream().filter(Bucket::isActive).map(StorageEndpoint::of).toList(), nowNanos);
    SnapshotResources<Cluster> clusterResources =
        StableSnapshot.versioned(clusters.build(served), Cluster::getName);
    SnapshotResources<ClusterLoadAssignment> endpointResources = StableSnapshot.versioned(
        clusters.assignments(served), ClusterLoadAssignment::getClusterName);
    Map<String, StableSnapshot> snapshots = new TreeMap<>();
    settings.listeners().forEach((group, address) -> snapshots.put(group, new StableSnapshot(
        clusterResources, endpointResources,
        StableSnapshot.versioned(List.of(listeners.build(group, address)), Listener::getName),
        routeResources)));
    return snapshots;
  }

  /**
   * When (a {@link System#nanoTime()} reading) a build must run again to drop a cluster whose
   * grace has ended, if one is retiring.
   */
  OptionalLong nextRetirement() {
    return retiring.nextRetirement();
  }
}
