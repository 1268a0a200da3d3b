package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.StorageEndpoint;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
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
  private final BucketRoutes routes;
  private final UpstreamClusters clusters;

  /** The settings the control plane's tests use: two node groups, virtual-hosted buckets. */
  public SnapshotBuildProbe(String bucketDomain) {
    this.settings = XdsSettings.defaults(new InetSocketAddress("127.0.0.1", 0), bucketDomain);
    this.snapshots = new RegistrySnapshots(settings);
    this.routes = new BucketRoutes(settings.bucketDomain());
    this.clusters = new UpstreamClusters(settings.upstreamCaFile());
  }

  /** What {@code SnapshotPublisher} builds on every change: one snapshot per node group. */
  public Built build(Collection<Bucket> buckets) {
    return new Built(snapshots.build(buckets));
  }

  /**
   * The steps of one build, each on freshly built messages (protobuf memoizes sizes), in
   * nanoseconds.
   *
   * @param sort sorting the buckets by name (part of route building)
   * @param routeBuild {@code BucketRoutes.build}, sort included
   * @param routeHash {@code ContentHash.of} the route configuration, as the build does it: size,
   *     deterministic serialization into a stream, a copy of the bytes, SHA-256
   * @param routeSize {@code getSerializedSize()} alone, on a fresh configuration
   * @param routeSerialize deterministic serialization alone into a byte array of that size
   * @param routeDigest SHA-256 alone over those bytes
   * @param clusterBuildAndHash endpoints of the active buckets, clusters, their hashes
   * @param routePack {@code Any.pack} of the hashed route configuration (sizes memoized), which
   *     java-control-plane's default serializer does for every response to every Envoy
   */
  public record Phases(long sort, long routeBuild, long routeHash, long routeSize,
      long routeSerialize, long routeDigest, long clusterBuildAndHash, long routePack) {}

  public Phases phases(Collection<Bucket> buckets) {
    long t0 = System.nanoTime();
    List<Bucket> sorted = buckets.stream().sorted(Comparator.comparing(Bucket::name)).toList();
    long sort = System.nanoTime() - t0;

    t0 = System.nanoTime();
    RouteConfiguration first = routes.build(buckets);
    long routeBuild = System.nanoTime() - t0;

    t0 = System.nanoTime();
    ContentHash.of(first);
    long routeHash = System.nanoTime() - t0;

    t0 = System.nanoTime();
    Any.pack(first);
    long routePack = System.nanoTime() - t0;

    RouteConfiguration second = routes.build(sorted);
    t0 = System.nanoTime();
    int size = second.getSerializedSize();
    long routeSize = System.nanoTime() - t0;

    t0 = System.nanoTime();
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      second.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long routeSerialize = System.nanoTime() - t0;

    t0 = System.nanoTime();
    sha256().digest(bytes);
    long routeDigest = System.nanoTime() - t0;

    t0 = System.nanoTime();
    StableSnapshot.versioned(clusters.build(
        buckets.stream().filter(Bucket::isActive).map(StorageEndpoint::of).toList()),
        io.envoyproxy.envoy.config.cluster.v3.Cluster::getName);
    long clusterBuildAndHash = System.nanoTime() - t0;
    return new Phases(sort, routeBuild, routeHash, routeSize, routeSerialize, routeDigest,
        clusterBuildAndHash, routePack);
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
        if (host.getName().equals("path_style")) {
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
