package dev.storagegateway.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An ADS client that behaves as Envoy does on a state-of-the-world stream: subscribes to
 * clusters and listeners, then to the load assignments of its EDS clusters (again after every
 * cluster update, as warming clusters do) and the route configurations its listeners name;
 * ACKs every response with its version and nonce, or NACKs it with an error detail and its last
 * accepted version; sends its node on every message; and on reconnect announces the versions it
 * holds.
 */
public final class EnvoyAdsClient implements AutoCloseable {
  public static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String ROUTES =
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String ENDPOINTS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private final Node node;
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  /** The last nonce received of each type on this stream, which Envoy's next request carries. */
  private final Map<String, String> nonces = new ConcurrentHashMap<>();
  private final Map<String, List<Any>> resources = new ConcurrentHashMap<>();
  private final List<DiscoveryResponse> received = new CopyOnWriteArrayList<>();
  private final List<String> routeNames = new CopyOnWriteArrayList<>();
  private final List<String> edsClusterNames = new CopyOnWriteArrayList<>();
  private volatile Predicate<DiscoveryResponse> reject = response -> false;
  private ManagedChannel channel;
  private StreamObserver<DiscoveryRequest> requests;
  private volatile boolean failed;

  public EnvoyAdsClient(String nodeId, String group) {
    this.node = Node.newBuilder().setId(nodeId).setCluster(group)
        .setMetadata(Struct.newBuilder().putFields("storage_gateway_group",
            Value.newBuilder().setStringValue(group).build()))
        .build();
  }

  /** Opens a stream to {@code port}, announcing whatever versions were accepted before. */
  public synchronized EnvoyAdsClient connect(int port) {
    return connect(port, InsecureChannelCredentials.create());
  }

  /** {@link #connect(int)} with {@code credentials}, such as TLS. */
  public synchronized EnvoyAdsClient connect(int port, ChannelCredentials credentials) {
    close();
    nonces.clear();
    failed = false;
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port, credentials).build();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            handle(response);
          }

          @Override
          public void onError(Throwable error) {
            failed = true;
          }

          @Override
          public void onCompleted() {
          }
        });
    send(CLUSTERS, List.of(), accepted.getOrDefault(CLUSTERS, ""), "", null);
    send(LISTENERS, List.of(), accepted.getOrDefault(LISTENERS, ""), "", null);
    if (!edsClusterNames.isEmpty()) {
      send(ENDPOINTS, edsClusterNames, accepted.getOrDefault(ENDPOINTS, ""), "", null);
    }
    if (!routeNames.isEmpty()) {
      send(ROUTES, routeNames, accepted.getOrDefault(ROUTES, ""), "", null);
    }
    return this;
  }

  /** Whether the server ended the stream with an error (a refused connection, say). */
  public boolean failed() {
    return failed;
  }

  public void rejectWhen(Predicate<DiscoveryResponse> rule) {
    reject = rule;
  }

  public List<DiscoveryResponse> received() {
    return List.copyOf(received);
  }

  public long receivedOf(String typeUrl) {
    return received.stream().filter(r -> r.getTypeUrl().equals(typeUrl)).count();
  }

  public String acceptedVersion(String typeUrl) {
    return accepted.get(typeUrl);
  }

  public List<Cluster> clusters() {
    return unpack(CLUSTERS, Cluster.class);
  }

  public List<Listener> listeners() {
    return unpack(LISTENERS, Listener.class);
  }

  public List<ClusterLoadAssignment> endpoints() {
    return unpack(ENDPOINTS, ClusterLoadAssignment.class);
  }

  public RouteConfiguration routes() {
    List<RouteConfiguration> routes = unpack(ROUTES, RouteConfiguration.class);
    return routes.isEmpty() ? null : routes.get(0);
  }

  /** Waits until the accepted configuration satisfies {@code condition}. */
  public void await(Predicate<EnvoyAdsClient> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(this)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the xDS client did not reach the expected state in " + timeout
            + "; accepted versions " + accepted);
      }
      Thread.sleep(5);
    }
  }

  @Override
  public synchronized void close() {
    if (requests != null) {
      requests.onCompleted();
      requests = null;
    }
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }

  private synchronized void handle(DiscoveryResponse response) {
    received.add(response);
    String type = response.getTypeUrl();
    nonces.put(type, response.getNonce());
    if (reject.test(response)) {
      send(type, namesFor(type), accepted.getOrDefault(type, ""), response.getNonce(),
          Status.newBuilder().setCode(3).setMessage("rejected by the test: " + type).build());
      return;
    }
    resources.put(type, List.copyOf(response.getResourcesList()));
    accepted.put(type, response.getVersionInfo());
    send(type, namesFor(type), response.getVersionInfo(), response.getNonce(), null);
    if (type.equals(CLUSTERS)) {
      List<String> names = clusters().stream()
          .filter(cluster -> cluster.getType() == Cluster.DiscoveryType.EDS)
          .map(Cluster::getName).sorted().toList();
      edsClusterNames.clear();
      edsClusterNames.addAll(names);
      send(ENDPOINTS, edsClusterNames, accepted.getOrDefault(ENDPOINTS, ""),
          nonces.getOrDefault(ENDPOINTS, ""), null);
    }
    if (type.equals(LISTENERS)) {
      List<String> names = new ArrayList<>();
      for (Listener listener : listeners()) {
        names.add(routeConfigName(listener));
      }
      if (!names.equals(routeNames)) {
        routeNames.clear();
        routeNames.addAll(names);
        send(ROUTES, routeNames, accepted.getOrDefault(ROUTES, ""),
            nonces.getOrDefault(ROUTES, ""), null);
      }
    }
  }

  private List<String> namesFor(String type) {
    return type.equals(ROUTES) ? routeNames
        : type.equals(ENDPOINTS) ? edsClusterNames : List.of();
  }

  private void send(String type, List<String> names, String version, String nonce,
      Status error) {
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type)
        .addAllResourceNames(names)
        .setVersionInfo(version)
        .setResponseNonce(nonce);
    if (error != null) {
      request.setErrorDetail(error);
    }
    requests.onNext(request.build());
  }

  private <T extends com.google.protobuf.Message> List<T> unpack(String type, Class<T> kind) {
    List<T> out = new ArrayList<>();
    for (Any any : resources.getOrDefault(type, List.of())) {
      try {
        out.add(any.unpack(kind));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static String routeConfigName(Listener listener) {
    try {
      return listener.getFilterChains(0).getFilters(0).getTypedConfig()
          .unpack(HttpConnectionManager.class).getRds().getRouteConfigName();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
