package dev.storagegateway.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * An ADS client that behaves as Envoy does on a state-of-the-world stream (a trimmed copy of the
 * control plane's test client): subscribes to clusters and listeners, then to the route
 * configurations its listeners name; ACKs every response with its version and nonce; sends its
 * node on every message. Each route configuration it receives is stamped with the
 * {@link System#nanoTime()} at which its response arrived, taken before anything is unpacked.
 */
final class AdsClient implements AutoCloseable {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ROUTES = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  /** One RDS response: when it arrived, its version and the (single) route configuration. */
  record RouteArrival(long nanos, String version, RouteConfiguration routes) {}

  private final Node node;
  private final ManagedChannel channel;
  private final StreamObserver<DiscoveryRequest> requests;
  private final Map<String, Long> received = new ConcurrentHashMap<>();
  private final Map<CompletableFuture<RouteArrival>, Predicate<RouteConfiguration>> expectations =
      new LinkedHashMap<>();
  private RouteArrival lastRoutes;
  private List<String> routeNames = List.of();

  AdsClient(String nodeId, String group, int port) {
    this.node = Node.newBuilder().setId(nodeId).setCluster(group)
        .setMetadata(Struct.newBuilder().putFields("storage_gateway_group",
            Value.newBuilder().setStringValue(group).build()))
        .build();
    // grpc-java refuses messages over 4 MiB by default; the whole route table is one message.
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(Integer.MAX_VALUE).build();
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            handle(System.nanoTime(), response);
          }

          @Override
          public void onError(Throwable error) {
            System.err.println("ADS stream failed: " + error);
          }

          @Override
          public void onCompleted() {
          }
        });
    synchronized (this) {
      send(CLUSTERS, List.of(), "", "");
      send(LISTENERS, List.of(), "", "");
    }
  }

  /** Responses received of {@code typeUrl} so far. */
  long receivedOf(String typeUrl) {
    return received.getOrDefault(typeUrl, 0L);
  }

  /** The latest route configuration received, or null before the first. */
  synchronized RouteArrival lastRoutes() {
    return lastRoutes;
  }

  /**
   * Completes with the first route configuration received from now on that satisfies
   * {@code condition} (tested on the stream's thread, once per configuration, after its arrival
   * time was taken). Only the latest configuration is kept, so the client's memory stays that
   * of one route table however many arrive.
   */
  synchronized CompletableFuture<RouteArrival> expect(Predicate<RouteConfiguration> condition) {
    CompletableFuture<RouteArrival> match = new CompletableFuture<>();
    expectations.put(match, condition);
    return match;
  }

  /** Waits for {@link #expect}'s result, giving up after {@code timeout}. */
  static RouteArrival await(CompletableFuture<RouteArrival> expected, Duration timeout)
      throws InterruptedException {
    try {
      return expected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no matching route configuration within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public synchronized void close() {
    requests.onCompleted();
    channel.shutdownNow();
  }

  private synchronized void handle(long arrived, DiscoveryResponse response) {
    String type = response.getTypeUrl();
    received.merge(type, 1L, Long::sum);
    send(type, type.equals(ROUTES) ? routeNames : List.of(), response.getVersionInfo(),
        response.getNonce());
    if (type.equals(ROUTES) && response.getResourcesCount() > 0) {
      lastRoutes = new RouteArrival(arrived, response.getVersionInfo(),
          unpack(response.getResources(0), RouteConfiguration.class));
      expectations.entrySet().removeIf(expectation -> {
        if (expectation.getValue().test(lastRoutes.routes())) {
          expectation.getKey().complete(lastRoutes);
          return true;
        }
        return false;
      });
    } else if (type.equals(LISTENERS)) {
      List<String> names = new ArrayList<>();
      for (Any resource : response.getResourcesList()) {
        names.add(routeConfigName(unpack(resource, Listener.class)));
      }
      if (!names.equals(routeNames)) {
        routeNames = List.copyOf(names);
        send(ROUTES, routeNames, "", "");
      }
    }
  }

  private void send(String type, List<String> names, String version, String nonce) {
    requests.onNext(DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type)
        .addAllResourceNames(names)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .build());
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> kind) {
    try {
      return any.unpack(kind);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String routeConfigName(Listener listener) {
    return unpack(listener.getFilterChains(0).getFilters(0).getTypedConfig(),
        HttpConnectionManager.class).getRds().getRouteConfigName();
  }
}
