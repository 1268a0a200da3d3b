package dev.storagegateway.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(XdsCallbacks.class);
    logger.addAppender(logs);
    try {
      for (int i = 0; i < 50; i++) {
        nack(Resources.V3.CLUSTER_TYPE_URL);
        callbacks.onStreamClose(1, Resources.V3.CLUSTER_TYPE_URL);
      }
      nack(Resources.V3.LISTENER_TYPE_URL);
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    assertThat(meters.get("gateway_xds_nacks").tag("type", "Cluster").counter().count())
        .isEqualTo(50.0);
  }
}
