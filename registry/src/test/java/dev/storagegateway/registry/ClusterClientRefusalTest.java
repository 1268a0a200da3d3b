package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.signing.RegistrySigner;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast's client protocol needs no membership: with the default network a program holding
 * only the cluster name could read and write the registry map through a member's port.
 */
class ClusterClientRefusalTest {

  @Test
  void aHazelcastClientCannotConnectToAMember() {
    String cluster = "clients-" + UUID.randomUUID();
    HazelcastInstance member = RegistryCluster.start(new ClusterSettings(cluster, "127.0.0.1",
        5701, List.of(), null, false), null,
        RegistryTrust.unverified());
    try {
      int port = member.getCluster().getLocalMember().getAddress().getPort();
      ClientConfig client = new ClientConfig().setClusterName(cluster);
      client.setProperty("hazelcast.logging.type", "slf4j");
      client.getNetworkConfig().addAddress("127.0.0.1:" + port).setSmartRouting(false);
      client.getConnectionStrategyConfig().getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(3_000);

      assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Unable to connect to any cluster");
      assertThat(member.getCluster().getMembers()).hasSize(1);
    } finally {
      member.shutdown();
    }
  }

  /** Members still find each other on the member endpoint. */
  @Test
  void membersStillFormACluster() throws IOException {
    String cluster = "members-" + UUID.randomUUID();
    int firstPort = freePort();
    int secondPort = freePort();
    List<String> members = List.of("127.0.0.1:" + firstPort, "127.0.0.1:" + secondPort);
    HazelcastInstance first = RegistryCluster.start(new ClusterSettings(cluster, "127.0.0.1",
        firstPort, members, null, false), null,
        RegistryTrust.unverified());
    HazelcastInstance second = RegistryCluster.start(new ClusterSettings(cluster, "127.0.0.1",
        secondPort, members, null, false), null,
        RegistryTrust.unverified());
    try {
      RegistryCluster.buckets(first).put("shared", SignedBucket.sign(
          ForeignClusterWritesTest.bucket("shared", 1), RegistrySigner.unsigned()));
      assertThat(RegistryCluster.buckets(second).get("shared")).isNotNull();
      assertThat(second.getCluster().getMembers()).hasSize(2);
    } finally {
      second.shutdown();
      first.shutdown();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
