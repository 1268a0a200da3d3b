package dev.storagegateway.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Of the control planes (data members) in one registry cluster exactly one is the oldest, data
 * planes (lite members) never are, and when it leaves the next oldest takes over.
 */
class OldestControlPlaneTest {

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theOldestDataMemberIsTheOneAndTheNextTakesOverWhenItLeaves() throws Exception {
    String cluster = "oldest-" + UUID.randomUUID();
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    List<String> addresses = ports.stream().map(port -> "127.0.0.1:" + port).toList();
    List<HazelcastInstance> members = new ArrayList<>();
    try {
      // A data plane first: oldest of all, but never the one.
      for (int i = 0; i < ports.size(); i++) {
        members.add(RegistryCluster.start(new ClusterSettings(cluster, "127.0.0.1",
            ports.get(i), addresses, null, i == 0), null, RegistryTrust.unverified()));
      }
      HazelcastInstance dataPlane = members.get(0);
      HazelcastInstance older = members.get(1);
      HazelcastInstance younger = members.get(2);
      assertThat(younger.getCluster().getMembers()).hasSize(3);

      assertThat(new OldestControlPlane(dataPlane.getCluster()).getAsBoolean()).isFalse();
      assertThat(new OldestControlPlane(older.getCluster()).getAsBoolean()).isTrue();
      assertThat(new OldestControlPlane(younger.getCluster()).getAsBoolean()).isFalse();

      older.shutdown();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (younger.getCluster().getMembers().size() != 2) {
        assertThat(System.nanoTime()).as("the member has left").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(new OldestControlPlane(younger.getCluster()).getAsBoolean()).isTrue();
      assertThat(new OldestControlPlane(dataPlane.getCluster()).getAsBoolean()).isFalse();
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }
}
