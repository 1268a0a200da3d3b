package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testpeers.NginxServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A data plane started with {@code --http-forwards-to} naming its storage: where the HTTP-mode
 * proxies forward no longer depends on their configuration, so an nginx without the
 * {@code X-Gateway-Forwards-To} line cannot be told otherwise by a client that writes the header
 * itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewaySetForwardingTest {
  /** At another storage, with a secret that does not resolve: a lookup would be a 503. */
  private static final String FAR_AWAY = "far-away";
  private static final String MISCONFIGURED = "the proxy in front of the storage is not"
      + " configured as the gateway requires";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.startForwardingToItsStorage(folder);
    gateway.put(gateway.bucket(FAR_AWAY, "no-such-secret.json", GatewayFixture.PROJECT)
        .endpoint("http://storage.far-away.example:9000").build());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aProxyThatSaysNothingIsJudgedByTheGatewaysSetting() throws Exception {
    HttpResponse<String> allowed = envoyCheck("/data/x", List.of());
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("authorization")).isPresent();

    HttpResponse<String> elsewhere = envoyCheck("/" + FAR_AWAY + "/x", List.of());
    assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(400);
    assertThat(elsewhere.body()).contains("<Code>InvalidRequest</Code>",
        "bucket 'far-away' is not stored at the storage this endpoint forwards to");
  }

  /** Spelling aside (ProxyForwardingTest): here with a trailing dot. */
  @Test
  void aProxyThatSaysTheSameIsAllowed() throws Exception {
    URI here = gateway.s3proxyEndpoint();
    HttpResponse<String> allowed =
        envoyCheck("/data/x", List.of(here.getHost() + ".:" + here.getPort()));
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
  }

  /**
   * A proxy that disagrees with its gateway (or passes a client's header) gets nothing: the caller
   * is told only that the proxy is misconfigured, the operator's log names both targets. First:
   * the log line comes once a minute, whichever test refuses a disagreeing proxy.
   */
  @Test
  @Order(1)
  void aProxyThatSaysOtherwiseIsRefusedAndTheLogSaysWhy() throws Exception {
    String here = gateway.s3proxyEndpoint().getAuthority();
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      for (List<String> said : List.of(List.of(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT),
          List.of("storage.far-away.example:9000"), List.of(here, here))) {
        for (String target : List.of("/data/x", "/" + FAR_AWAY + "/x")) {
          HttpResponse<String> refused = envoyCheck(target, said);
          assertThat(refused.statusCode()).as(said + " " + refused.body()).isEqualTo(500);
          assertThat(refused.body()).contains("<Code>InternalError</Code>", MISCONFIGURED)
              .doesNotContain(here, "far-away.example", HttpCheckServer.FORWARDS_TO_HEADER);
          assertThat(refused.headers().firstValue("authorization")).isEmpty();
        }
      }
      assertThat(logs.everything())
          .filteredOn(line -> line.startsWith("Refusing a check whose proxy says"))
          .singleElement().asString()
          .contains("says it forwards to 'bucket-endpoint'",
              "this gateway is set to forward to " + here + " (--http-forwards-to)");
    }
  }

  /** The shipped nginx configuration without its X-Gateway-Forwards-To line, clients forging it. */
  @Test
  void anNginxThatDoesNotSayWhereItForwardsCannotBeToldByItsClients() throws Exception {
    String alice = gateway.tokenFor("alice");
    try (NginxServer nginx = NginxServer.startWithoutForwardsTo(folder.resolve("nginx"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()),
        gateway.s3proxyEndpoint())) {
      HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(
              URI.create(nginx.endpoint() + "/data/set-here.txt"))
          .header("Authorization", "Bearer " + alice)
          .PUT(HttpRequest.BodyPublishers.ofString("set here")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

      for (String forged : List.of(RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT,
          "storage.far-away.example:9000")) {
        for (String target : List.of("/data/forged.txt", "/" + FAR_AWAY + "/forged.txt")) {
          HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                  URI.create(nginx.endpoint() + target))
              .header("Authorization", "Bearer " + alice)
              .header(HttpCheckServer.FORWARDS_TO_HEADER, forged)
              .PUT(HttpRequest.BodyPublishers.ofString("forged")).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(refused.statusCode()).as(forged + " " + refused.body()).isEqualTo(500);
          assertThat(refused.body()).contains("<Code>InternalError</Code>", MISCONFIGURED);
        }
      }
    }
    try (S3Client direct = gateway.directClient()) {
      assertThat(direct.getObjectAsBytes(b -> b.bucket("data").key("set-here.txt"))
          .asUtf8String()).isEqualTo("set here");
      assertThat(direct.listObjectsV2(b -> b.bucket("data").prefix("forged")).contents())
          .isEmpty();
    }
  }

  private static HttpResponse<String> envoyCheck(String target, List<String> forwardsTo)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy" + target))
        .header("Authorization", "Bearer " + gateway.tokenFor("alice"));
    forwardsTo.forEach(value -> request.header(HttpCheckServer.FORWARDS_TO_HEADER, value));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
