package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.grpc.EnvoyEmulator;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The bucket's secret key and the caller's token never reach a log line, a metric, an error body
 * or a Check response, whatever the request does.
 */
class SecretCanaryTest {
  @TempDir
  Path folder;

  @Test
  void neitherTheBucketSecretNorTheCallersTokenLeaks() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    // The access log has its own appender and does not pass its lines up to the root logger.
    Logger access = (Logger) LoggerFactory.getLogger("access");
    access.addAppender(captured);
    List<String> answers = new ArrayList<>();
    String token;
    try (GatewayFixture gateway = GatewayFixture.start(folder)) {
      token = gateway.tokenFor("bob");
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          gateway.plane().grpcPort()).usePlaintext().build();
      try {
        EnvoyEmulator envoy = new EnvoyEmulator(AuthorizationGrpc.newBlockingStub(channel),
            gateway.s3proxyEndpoint());
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        byte[] body = "canary".getBytes(StandardCharsets.UTF_8);
        for (String target : List.of("/data/k", "/data/../k", "/nowhere/k", "/suspended/k",
            "/data/k?uploads", "/readonly/k")) {
          for (String method : List.of("GET", "PUT", "POST", "DELETE")) {
            EnvoyEmulator.Response response = envoy.send(method, target, bearer,
                method.equals("PUT") ? body : new byte[0], Map.of());
            answers.add(response.text());
            answers.add(response.check().getDeniedResponse().toString());
          }
        }
        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy/data/k"))
            .header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        answers.add(http.body());
        answers.add(http.headers().toString());
      } finally {
        channel.shutdownNow();
      }
      answers.add(gateway.meters().scrape());
    } finally {
      root.detachAppender(captured);
      access.detachAppender(captured);
    }
    assertThat(captured.list).isNotEmpty().allSatisfy(event -> assertThat(
        event.getFormattedMessage() + " " + event.getThrowableProxy())
        .doesNotContain(GatewayFixture.SECRET_KEY, token));
    assertThat(captured.list).anyMatch(event -> event.getLoggerName().equals("access")
        && event.getFormattedMessage().contains("user=\"bob\""));
    assertThat(answers).allSatisfy(answer ->
        assertThat(answer).doesNotContain(GatewayFixture.SECRET_KEY, token));
  }
}
