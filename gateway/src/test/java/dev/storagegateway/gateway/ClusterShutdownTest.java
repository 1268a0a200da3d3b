package dev.storagegateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.controlplane.xds.StorageDns;
import dev.storagegateway.extauthz.DataPlaneSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that knows the registry cluster's name and reaches its port joins as a lite member and
 * orders the whole cluster to shut down, which Hazelcast lets any member do. Both planes' members
 * stop; each plane hears of it (so that its command stops with exit code 1 and is started again),
 * the data plane says it is not ready, and the gateway still closes cleanly.
 */
class ClusterShutdownTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path data;

  @Test
  void aClusterShutdownOrderedByAnyMemberStopsBothPlanesForARestart() throws Exception {
    int clusterPort = freePort();
    EmbeddedGateway gateway = EmbeddedGateway.start(data,
        new EmbeddedGateway.Ports(0, 0, 0, 0, 0, 0, clusterPort),
        EmbeddedGateway.localEndpoints(), StorageDns.CONTROL_PLANE,
        DataPlaneSettings.DEFAULT_UPLOAD_PROVIDERS, Optional.empty());
    List<String> stops = new CopyOnWriteArrayList<>();
    HazelcastInstance rogue = null;
    try {
      gateway.stopOnMemberLoss(stops::add);
      assertThat(readiness(gateway).statusCode()).isEqualTo(200);

      Config config = new Config().setClusterName(gateway.clusterName()).setLiteMember(true);
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.setProperty("hazelcast.socket.bind.any", "false");
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
      config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
      config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
          .addMember("127.0.0.1:" + clusterPort);
      HazelcastInstance joined = Hazelcast.newHazelcastInstance(config);
      rogue = joined;
      awaitTrue(() -> ordersShutdown(joined));

      awaitTrue(() -> stops.size() == 2);
      assertThat(stops).allSatisfy(reason -> assertThat(reason)
          .contains("a member of the registry cluster shut the whole cluster down")
          .contains("stops to be started again"));
      HttpResponse<String> unready = readiness(gateway);
      assertThat(unready.statusCode()).as("the data plane's member is gone").isEqualTo(503);
      assertThat(unready.body()).isEqualTo("not ready: no control plane is in this replica's"
          + " registry cluster, so registry changes cannot reach it\n");
    } finally {
      if (rogue != null) {
        rogue.shutdown();
      }
      gateway.close();
    }
  }

  private static HttpResponse<String> readiness(EmbeddedGateway gateway) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.httpPort() + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("reached within 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
