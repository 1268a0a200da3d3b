package dev.storagegateway.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.registry.RouteSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After SIGTERM the data plane goes on answering for its shutdown delay while it says it is
 * stopping, so that Envoy stops sending it Checks before its ports close.
 */
class DataPlaneDrainTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path folder;

  @Test
  void whileDrainingItAnswersChecksAndSaysItIsStoppingOnEveryProbe() throws Exception {
    try (GatewayFixture gateway = GatewayFixture.start(folder)) {
      DataPlane plane = gateway.plane();
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", plane.grpcPort())
          .usePlaintext().build();
      try {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.SERVING);

        // Long enough never to end on a slow machine before the checks below; interrupted after.
        Thread draining = new Thread(() -> drain(plane, Duration.ofMinutes(1)), "draining");
        draining.start();
        awaitStatus(plane.metricsPort(), 503);

        for (int port : new int[] {plane.metricsPort(), plane.httpPort()}) {
          HttpResponse<String> readiness = get(port, "/readyz");
          assertThat(readiness.statusCode()).isEqualTo(503);
          assertThat(readiness.body()).isEqualTo("not ready: " + DataPlane.DRAINING + "\n");
        }
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.NOT_SERVING);
        HttpResponse<String> check = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + plane.httpPort() + "/envoy/data/x"))
            .header("Authorization", "Bearer " + gateway.tokenFor("alice"))
            .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(check.statusCode()).as("a Check while draining: %s", check.body())
            .isEqualTo(200);
        assertThat(draining.isAlive()).as("still draining").isTrue();

        draining.interrupt();
        draining.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(draining.isAlive()).isFalse();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void drain(DataPlane plane, Duration delay) {
    try {
      plane.drain(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitStatus(int port, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (get(port, "/readyz").statusCode() != status) {
      assertThat(System.nanoTime()).as("/readyz answered %d", status).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
