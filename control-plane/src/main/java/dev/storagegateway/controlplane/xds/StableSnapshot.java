package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot whose resource versions are content hashes ({@link ContentHash}) and whose version per
 * type is the hash of those: identical on every replica for the same registry (load assignments:
 * for the same DNS answers, which each replica gets for itself), and changed exactly when
 * something of that type changed.
 */
final class StableSnapshot extends Snapshot {
  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;

  StableSnapshot(SnapshotResources<Cluster> clusters,
      SnapshotResources<ClusterLoadAssignment> endpoints, SnapshotResources<Listener> listeners,
      SnapshotResources<RouteConfiguration> routes) {
    this.clusters = clusters;
    this.endpoints = endpoints;
    this.listeners = listeners;
    this.routes = routes;
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return SnapshotResources.create(List.<VersionedResource<Secret>>of(), names -> "");
  }

  // java-control-plane's v3 Snapshot implements this with a generic signature javac does not
  // accept as the override of its parent's; the raw type bridges the two.
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Map versionedResources(io.envoyproxy.controlplane.cache.Resources.ResourceType type) {
    return super.versionedResources(type);
  }

  /** Serialized size of everything, for the snapshot-size metric. */
  long serializedBytes() {
    long total = 0;
    for (SnapshotResources<?> type : List.of(clusters, endpoints, listeners, routes)) {
      for (Message resource : type.resources().values()) {
        total += resource.getSerializedSize();
      }
    }
    return total;
  }

  /** One resource already versioned by its content, and the type by that version. */
  static <T extends Message> SnapshotResources<T> versioned(VersionedResource<T> resource,
      java.util.function.Function<T, String> name) {
    String typeVersion = ContentHash.ofVersions(
        Map.of(name.apply(resource.resource()), resource.version()));
    return SnapshotResources.create(List.of(resource), names -> typeVersion);
  }

  /** Versions each resource by its content and the whole type by those versions. */
  static <T extends Message> SnapshotResources<T> versioned(List<T> resources,
      java.util.function.Function<T, String> name) {
    List<VersionedResource<T>> versioned = new ArrayList<>(resources.size());
    Map<String, String> versions = new LinkedHashMap<>();
    for (T resource : resources) {
      String version = ContentHash.of(resource);
      versioned.add(VersionedResource.create(resource, version));
      versions.put(name.apply(resource), version);
    }
    String typeVersion = ContentHash.ofVersions(versions);
    return SnapshotResources.create(versioned, names -> typeVersion);
  }
}
