package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.signing.RegistryKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every control plane gone and one started again: the data planes, left a cluster of their own,
 * find it by Hazelcast's split-brain merge. By Hazelcast's defaults that first looks 300 s after
 * a member starts and then every 120 s, and the data planes stayed unready all that while.
 */
class RegistryRejoinTest {
  private final RegistryKeys keys = RegistryKeys.generate();

  @Test
  void aDataPlaneLeftAloneJoinsTheNextControlPlaneWithinSeconds() throws Exception {
    String cluster = "rejoin-" + UUID.randomUUID();
    String controlPlaneAddress = "127.0.0.1:" + freePort();
    int controlPlanePort = Integer.parseInt(controlPlaneAddress.split(":")[1]);
    ClusterSettings controlPlane = new ClusterSettings(cluster, "127.0.0.1", controlPlanePort,
        List.of(controlPlaneAddress), null, false);
    int dataPlanePort = freePort();
    ClusterSettings dataPlane = new ClusterSettings(cluster, "127.0.0.1", dataPlanePort,
        List.of(controlPlaneAddress, "127.0.0.1:" + dataPlanePort), null, true);

    HazelcastInstance first = RegistryCluster.start(controlPlane, null, keys.trust());
    HazelcastInstance data = RegistryCluster.start(dataPlane, null, keys.trust());
    HazelcastInstance second = null;
    try {
      assertThat(hasDataMember(data)).isTrue();
      first.getLifecycleService().terminate();
      awaitTrue(() -> !hasDataMember(data), Duration.ofSeconds(30));

      second = RegistryCluster.start(controlPlane, null, keys.trust());

      awaitTrue(() -> hasDataMember(data), Duration.ofSeconds(60));
      assertThat(second.getCluster().getMembers()).hasSize(2);
    } finally {
      data.shutdown();
      if (second != null) {
        second.shutdown();
      }
    }
  }

  private static boolean hasDataMember(HazelcastInstance member) {
    return member.getCluster().getMembers().stream().anyMatch(m -> !m.isLiteMember());
  }

  private static void awaitTrue(BooleanSupplier condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached within " + within);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
