package dev.storagegateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.registry.signing.RegistryTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The registry cluster has no authentication of its own: its boundary is the network, so a
 * member must listen on the address it is given and nowhere else.
 */
class RegistryClusterBindingTest {

  @Test
  void aLoopbackMemberCannotBeReachedFromTheNetwork() throws IOException {
    Optional<InetAddress> external = externalAddress();
    if (external.isEmpty()) {
      String missing = "a network interface with an IPv4 address other than loopback";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("this test needs " + missing);
      }
      Assumptions.abort("skipped: this machine has no " + missing);
    }
    int port = freePort();
    ClusterSettings settings = new ClusterSettings("binding-" + UUID.randomUUID(), "127.0.0.1",
        port, List.of(), null, false);
    HazelcastInstance member = RegistryCluster.start(settings, null,
        RegistryTrust.unverified());
    try {
      int bound = member.getCluster().getLocalMember().getAddress().getPort();
      try (Socket local = new Socket()) {
        local.connect(new InetSocketAddress("127.0.0.1", bound), 2_000);
        assertThat(local.isConnected()).isTrue();
      }
      assertThatThrownBy(() -> {
        try (Socket remote = new Socket()) {
          remote.connect(new InetSocketAddress(external.get(), bound), 2_000);
        }
      }).as("refused, not merely unanswered (a firewall would time out)")
          .isInstanceOf(ConnectException.class);
    } finally {
      member.shutdown();
    }
  }

  private static Optional<InetAddress> externalAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> {
          try {
            return nic.isUp() && !nic.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
