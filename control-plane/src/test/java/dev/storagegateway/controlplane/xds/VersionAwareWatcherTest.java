package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The watcher with java-control-plane's cache and the stream callbacks, called in the order
 * java-control-plane's stream observer calls them: the callbacks see a request, then the watcher.
 */
class VersionAwareWatcherTest {
  private static final String ROUTES = EnvoyAdsClient.ROUTES;
  private static final String ROUTE_CONFIG = "storage_gateway_routes";
  /** Two Envoys started with the same --service-node. */
  private static final Node NODE = Node.newBuilder().setId("shared-node")
      .setCluster(XdsSettings.INGRESS).build();

  private final XdsSettings settings =
      XdsSettings.defaults(new InetSocketAddress(0), "s3.test");
  private final NodeGroups groups =
      new NodeGroups(Set.copyOf(settings.groups()), settings.defaultGroup());
  private final SimpleCache<String> cache = new SimpleCache<>(groups);
  private final SentVersions sent = new SentVersions();
  private final XdsCallbacks callbacks =
      new XdsCallbacks(groups, settings.groups(), sent, new SimpleMeterRegistry());
  private final VersionAwareWatcher watcher = new VersionAwareWatcher(cache, groups, sent);
  private final RegistrySnapshots snapshots = new RegistrySnapshots(settings,
        UpstreamClusters.resolvedByEnvoy(settings.upstreamCaFile()));

  private String publish(String... bucketNames) {
    List<Bucket> buckets = java.util.Arrays.stream(bucketNames).map(name -> Bucket.builder()
        .name(name).provider(Provider.AWS).region("us-east-1").authMode(AuthMode.ROLE).build())
        .toList();
    StableSnapshot snapshot = snapshots.build(buckets).get(XdsSettings.INGRESS);
    cache.setSnapshot(XdsSettings.INGRESS, snapshot);
    return snapshot.routes().version();
  }

  private void sent(long streamId, String nonce, String version) {
    callbacks.onV3StreamResponse(streamId, DiscoveryRequest.newBuilder().setNode(NODE).build(),
        DiscoveryResponse.newBuilder().setTypeUrl(ROUTES).setNonce(nonce)
            .setVersionInfo(version).build());
  }

  /** A NACK of {@code nonce} on stream 1, as the stream observer hands it on: callbacks first. */
  private List<Response> rejectedOnStream1(String nonce) {
    DiscoveryRequest rejection = DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(ROUTES)
        .addResourceNames(ROUTE_CONFIG).setResponseNonce(nonce)
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage("rejected")).build();
    callbacks.onV3StreamRequest(1, rejection);
    List<Response> answers = new CopyOnWriteArrayList<>();
    watcher.createWatch(true, XdsRequest.create(rejection), Set.of(ROUTE_CONFIG), answers::add,
        false, false);
    return answers;
  }

  @Test
  void aRejectionIsTracedOnItsOwnStreamWhenAnotherSharesItsNodeAndNonce() {
    String first = publish("a-bucket");
    sent(1, "2", first);
    String second = publish("a-bucket", "b-bucket");
    sent(2, "2", second);

    List<Response> answers = rejectedOnStream1("2");

    // Stream 1 rejected the first version, not the second: it is sent the second at once.
    assertThat(answers).singleElement().extracting(Response::version).isEqualTo(second);
  }

  @Test
  void aRejectionOfTheVersionServedWaitsForTheNextChange() {
    String served = publish("a-bucket");
    sent(1, "0", served);

    List<Response> answers = rejectedOnStream1("0");
    assertThat(answers).isEmpty();

    String next = publish("a-bucket", "c-bucket");
    assertThat(answers).singleElement().extracting(Response::version).isEqualTo(next);
  }

  /**
   * An ACK naming a resource the last response did not hold (Envoy asking for the endpoints of a
   * cluster just added, whose host was resolved before) is answered with it: only a stream's
   * first request, which carries no nonce, may say it holds what the served version has.
   */
  @Test
  void anAckNamingAResourceTheStreamWasNotSentIsAnsweredWithIt() {
    StableSnapshot snapshot = new StableSnapshot(
        StableSnapshot.versioned(List.<Cluster>of(), Cluster::getName),
        StableSnapshot.versioned(List.of(assignment("a"), assignment("b")),
            ClusterLoadAssignment::getClusterName),
        StableSnapshot.versioned(List.<Listener>of(), Listener::getName),
        StableSnapshot.versioned(List.<RouteConfiguration>of(), RouteConfiguration::getName));
    cache.setSnapshot(XdsSettings.INGRESS, snapshot);
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setNode(NODE)
        .setTypeUrl(EnvoyAdsClient.ENDPOINTS).addResourceNames("a").addResourceNames("b")
        .setVersionInfo(snapshot.endpoints().version());

    List<Response> ack = new CopyOnWriteArrayList<>();
    watcher.createWatch(true, XdsRequest.create(request.setResponseNonce("3").build()),
        Set.of("a"), ack::add, false, false);
    assertThat(ack).singleElement().satisfies(response ->
        assertThat(response.resources()).hasSize(2));

    List<Response> reconnect = new CopyOnWriteArrayList<>();
    watcher.createWatch(true, XdsRequest.create(request.setResponseNonce("").build()),
        Set.of(), reconnect::add, false, false);
    assertThat(reconnect).as("a new stream holding the served version is sent nothing")
        .isEmpty();
  }

  private static ClusterLoadAssignment assignment(String cluster) {
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).build();
  }
}
