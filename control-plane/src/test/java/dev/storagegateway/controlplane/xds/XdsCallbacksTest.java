package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.storagegateway.testlogging.CapturedLogs;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The xDS port takes any client that reaches it: what a client names must not grow the meters
 * without bound.
 */
class XdsCallbacksTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final XdsCallbacks callbacks = new XdsCallbacks(
      new NodeGroups(Set.of("ingress", "sidecar"), "ingress"), List.of("ingress", "sidecar"),
      new SentVersions(), meters);

  private void nack(String typeUrl) {
    callbacks.onV3StreamRequest(1, DiscoveryRequest.newBuilder()
        .setNode(Node.newBuilder().setId("envoy-1\nforged log line").setCluster("ingress"))
        .setTypeUrl(typeUrl).setResponseNonce("7")
        .setErrorDetail(Status.newBuilder().setMessage("rejected")).build());
  }

  @Test
  void rejectionsOfTypesThisServerDoesNotServeAreCountedAsOneOtherType() {
    nack(Resources.V3.ROUTE_TYPE_URL);
    for (int i = 0; i < 100; i++) {
      nack("type.googleapis.com/made.up.Type" + i);
    }

    assertThat(meters.find("gateway_xds_nacks").counters())
        .extracting(counter -> counter.getId().getTag("type"))
        .containsExactlyInAnyOrder("RouteConfiguration", "other");
    assertThat(meters.find("gateway_xds_nacks").tag("type", "other").counters())
        .extracting(Counter::count).containsExactly(100.0);
  }

  /**
   * A client may send rejections as fast as it likes, on as many streams as it likes; each is
   * counted, one a minute per group and type logged.
   */
  @Test
  void rejectionsAreLoggedOnceAMinutePerGroupAndTypeAndAllCounted() {
    CapturedLogs logs = CapturedLogs.of(XdsCallbacks.class);
    try (logs) {
      for (int i = 0; i < 50; i++) {
        nack(Resources.V3.CLUSTER_TYPE_URL);
        callbacks.onStreamClose(1, Resources.V3.CLUSTER_TYPE_URL);
      }
      nack(Resources.V3.LISTENER_TYPE_URL);
    }

    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    assertThat(meters.get("gateway_xds_nacks").tag("type", "Cluster").counter().count())
        .isEqualTo(50.0);
  }

  /**
   * An Envoy whose bootstrap names a group not served reconnects with the same mistake: it is
   * logged once, and each of its streams counted.
   */
  @Test
  void aNodeNamingAnUnknownGroupIsLoggedOnceAndEachOfItsStreamsCounted() {
    Node typo = Node.newBuilder().setId("sidecar-1\nforged log line").setCluster("sidecar")
        .setMetadata(Struct.newBuilder().putFields("storage_gateway_group",
            Value.newBuilder().setStringValue("sidecra").build()))
        .build();
    CapturedLogs logs = CapturedLogs.of(XdsCallbacks.class);
    try (logs) {
      for (long stream = 1; stream <= 3; stream++) {
        callbacks.onV3StreamRequest(stream, DiscoveryRequest.newBuilder().setNode(typo)
            .setTypeUrl(Resources.V3.LISTENER_TYPE_URL).build());
      }
    }

    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).singleElement()
        .isEqualTo("Envoy sidecar-1 forged log line names node group 'sidecra' in"
            + " metadata.storage_gateway_group, which this control plane does not serve (groups:"
            + " [ingress, sidecar]); it is sent no configuration until its bootstrap names one");
    assertThat(meters.get("gateway_xds_connected_proxies").tag("group", "unknown").gauge()
        .value()).isEqualTo(3.0);
    assertThat(meters.get("gateway_xds_connected_proxies").tag("group", "sidecar").gauge()
        .value()).isZero();
  }
}
