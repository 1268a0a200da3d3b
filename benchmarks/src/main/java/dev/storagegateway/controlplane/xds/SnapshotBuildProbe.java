package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' way into the package-private snapshot builder (this class lives in the
 * benchmarks jar, in the control plane's package; no main code is changed): builds snapshots
 * exactly as {@code SnapshotPublisher} does, and times the steps of a build one by one.
 */
public final class SnapshotBuildProbe {
  private final XdsSettings settings;
  private final RegistrySnapshots snapshots;
  private final UpstreamClusters clusters;

  /**
   * The settings the control plane's tests use: two node groups, virtual-hosted buckets, storage
   * names resolved by the control plane (here every name to one documentation address, as the
   * machine has no DNS; a name's first build has no address yet).
   */
  public SnapshotBuildProbe(String bucketDomain) {
    this.settings = XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 0), bucketDomain);
    StorageAddresses addresses = new StorageAddresses(
        host -> List.of(InetAddress.getByName("203.0.113.10")), address -> true,
        Duration.ofHours(1), new SimpleMeterRegistry());
    this.clusters = UpstreamClusters.resolvedBy(settings.upstreamCaFile(), addresses);
    this.snapshots = new RegistrySnapshots(settings, clusters);
  }

  /**
   * What {@code SnapshotPublisher} builds on a registry change, one snapshot per node group, by
   * a builder that keeps the routes of the previous build (as the publisher's does).
   */
  public Built rebuild(Collection<Bucket> buckets) {
    return new Built(snapshots.build(buckets));
  }

  /** The first build of a control plane: nothing kept from before. */
  public Built coldBuild(Collection<Bucket> buckets) {
    return new Built(new RegistrySnapshots(settings, clusters).build(buckets));
  }

  /**
   * The steps of one cold build, in nanoseconds.
   *
   * @param routeBuild {@code BucketRoutes.build}: sort, every bucket's routes and their hashes,
   *     the configuration's version
   * @param clusterBuildAndHash endpoints of the active buckets, clusters, their load
   *     assignments, their hashes
   * @param routePack {@code Any.pack} of the route configuration (sizes memoized), which
   *     java-control-plane's default serializer does for every response to every Envoy
   */
  public record Phases(long routeBuild, long clusterBuildAndHash, long routePack) {}

  public Phases phases(Collection<Bucket> buckets) {
    long t0 = System.nanoTime();
    RouteConfiguration routes =
        new BucketRoutes(settings.bucketDomain(), settings.gatewayHttpCluster())
            .build(buckets).resource();
    long routeBuild = System.nanoTime() - t0;

    t0 = System.nanoTime();
    Any.pack(routes);
    long routePack = System.nanoTime() - t0;

    t0 = System.nanoTime();
    List<StorageEndpoint> endpoints = buckets.stream().filter(Bucket::isActive)
        .map(StorageEndpoint::of).distinct().toList();
    StableSnapshot.versioned(clusters.build(endpoints),
        io.envoyproxy.envoy.config.cluster.v3.Cluster::getName);
    StableSnapshot.versioned(clusters.assignments(endpoints),
        io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment::getClusterName);
    long clusterBuildAndHash = System.nanoTime() - t0;
    return new Phases(routeBuild, clusterBuildAndHash, routePack);
  }

  /** The snapshots of one build; held by the caller to measure what they retain. */
  public static final class Built {
    private final Map<String, StableSnapshot> byGroup;

    private Built(Map<String, StableSnapshot> byGroup) {
      this.byGroup = byGroup;
    }

    public List<String> groups() {
      return List.copyOf(byGroup.keySet());
    }

    /** {@code StableSnapshot.serializedBytes()} of one group's snapshot (what the metric shows). */
    public long serializedBytes(String group) {
      return byGroup.get(group).serializedBytes();
    }

    public int clusters(String group) {
      return byGroup.get(group).clusters().resources().size();
    }

    public int listeners(String group) {
      return byGroup.get(group).listeners().resources().size();
    }

    public int routeConfigurations(String group) {
      return byGroup.get(group).routes().resources().size();
    }

    public int virtualHosts(String group) {
      return routeConfiguration(group).getVirtualHostsCount();
    }

    public int routes(String group) {
      return routeConfiguration(group).getVirtualHostsList().stream()
          .mapToInt(VirtualHost::getRoutesCount).sum();
    }

    /** Serialized size of the one route configuration, which RDS sends whole on every change. */
    public long routeConfigurationBytes(String group) {
      return routeConfiguration(group).getSerializedSize();
    }

    /**
     * Where the route configuration's bytes go: the per-bucket virtual hosts (virtual-hosted
     * style), the path-style virtual host, and, across both, the routes' ext_authz per-route
     * configuration (context extensions, packed in an {@code Any}).
     */
    public record RouteBytes(long virtualHosted, long pathStyle, long perRouteAuthz) {}

    public RouteBytes routeBytes(String group) {
      long hosted = 0;
      long pathStyle = 0;
      long authz = 0;
      for (VirtualHost host : routeConfiguration(group).getVirtualHostsList()) {
        if (host.getName().equals(BucketRoutes.PATH_STYLE_HOST)) {
          pathStyle += host.getSerializedSize();
        } else {
          hosted += host.getSerializedSize();
        }
        for (io.envoyproxy.envoy.config.route.v3.Route route : host.getRoutesList()) {
          authz += route.getSerializedSize()
              - route.toBuilder().clearTypedPerFilterConfig().build().getSerializedSize();
        }
      }
      return new RouteBytes(hosted, pathStyle, authz);
    }

    private RouteConfiguration routeConfiguration(String group) {
      return byGroup.get(group).routes().resources().values().iterator().next();
    }
  }
}
