package dev.storagegateway.registry;

import static dev.storagegateway.registry.ForeignClusterWritesTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.signing.RegistryKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A lite member that knows only the cluster's name orders every member to shut down, which
 * Hazelcast lets any member do; each gateway member's server hears of it. A member its own
 * server shuts down is not reported.
 */
class MemberLossTest {
  private final RegistryKeys keys = RegistryKeys.generate();

  @Test
  void aClusterShutdownOrderedByAnyMemberIsReportedToEveryServer() throws Exception {
    ClusterSettings settings = settings();
    HazelcastInstance controlPlane = RegistryCluster.start(settings, null, keys.trust());
    HazelcastInstance dataPlane = RegistryCluster.start(settings.asLiteMember(), null,
        keys.trust());
    HazelcastInstance rogue = RegistryCluster.start(settings.asLiteMember(), null,
        keys.trust());
    List<String> controlPlaneStops = new CopyOnWriteArrayList<>();
    List<String> dataPlaneStops = new CopyOnWriteArrayList<>();
    try (MemberLoss ignored = MemberLoss.watch(controlPlane, controlPlaneStops::add);
        MemberLoss ignoredToo = MemberLoss.watch(dataPlane, dataPlaneStops::add)) {
      awaitTrue(() -> ordersShutdown(rogue));

      awaitTrue(() -> controlPlaneStops.size() == 1 && dataPlaneStops.size() == 1);
      assertThat(dataPlaneStops.get(0)).contains(dataPlane.getName())
          .contains("a member of the registry cluster shut the whole cluster down")
          .contains("stops to be started again");
      assertThat(controlPlane.getLifecycleService().isRunning()).isFalse();
    } finally {
      rogue.shutdown();
      dataPlane.shutdown();
      controlPlane.shutdown();
    }
  }

  @Test
  void aMemberItsServerShutsDownIsNotReported() throws IOException {
    HazelcastInstance member = RegistryCluster.start(settings(), null, keys.trust());
    List<String> stops = new CopyOnWriteArrayList<>();
    try (MemberLoss ignored = MemberLoss.watch(member, stops::add)) {
      assertThat(stops).isEmpty();
    }
    member.shutdown();
    assertThat(stops).isEmpty();
  }

  @Test
  void aMemberStoppedUnderItsServerIsReported() throws IOException {
    HazelcastInstance member = RegistryCluster.start(settings(), null, keys.trust());
    List<String> stops = new CopyOnWriteArrayList<>();
    try (MemberLoss ignored = MemberLoss.watch(member, stops::add)) {
      member.getLifecycleService().terminate();
      assertThat(stops).singleElement().asString().contains("Hazelcast stopped it");
    }
  }

  private static ClusterSettings settings() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return new ClusterSettings("loss-" + UUID.randomUUID(), "127.0.0.1", port,
        List.of("127.0.0.1:" + port), null, false);
  }

  /** Refused while the partitions still move after the member joined. */
  private static boolean ordersShutdown(HazelcastInstance member) {
    try {
      member.getCluster().shutdown();
      return true;
    } catch (IllegalStateException stillMigrating) {
      return false;
    }
  }
}
