package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.testpeers.MotoServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket reached through STS AssumeRole (moto) signs with temporary credentials, so a URL
 * asked to outlive them is shortened to their expiry, and the answer says so.
 */
class TemporaryCredentialsPresignTest {
  /** The shortest session STS grants: the URL asked for below must be cut to it. */
  private static final int SESSION_SECONDS = 900;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path folder;

  private static MotoServer moto;
  private static GatewayFixture gateway;
  private static PresignApiClient client;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    gateway = GatewayFixture.start(folder, Map.of(
        "GATEWAY_STS_ENDPOINT", moto.endpoint().toString(),
        "GATEWAY_ROLE_SESSION_SECONDS", String.valueOf(SESSION_SECONDS)));
    // The role is assumed with the keys of the bucket's secret, as Fence's configuration does.
    gateway.put(gateway.bucket("role-data", "gateway.json", GatewayFixture.PROJECT)
        .authMode(AuthMode.ROLE)
        .roleArn("arn:aws:iam::123456789012:role/gen3-data-reader").build());
    client = new PresignApiClient(gateway);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (gateway != null) {
      gateway.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void aUrlAskedToOutliveTheSessionIsCutToItAndTheAnswerSaysSo() throws Exception {
    HttpResponse<String> answer =
        client.api("GET", "/data/download/role-data/a.txt?expires_in=3600", "bob", null);
    JsonNode body = JSON.readTree(answer.body());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    Map<String, String> url = UrlQuery.raw(body.get("url").asText());
    assertThat(url).containsKey("X-Amz-Security-Token");
    long expires = Long.parseLong(url.get("X-Amz-Expires"));
    assertThat(expires).isBetween(SESSION_SECONDS - 120L, (long) SESSION_SECONDS);
    assertThat(body.get("expires_in").asLong()).isEqualTo(expires);
    assertThat(body.get("message").asText())
        .contains("instead of 3600 s", "temporary credentials");
  }

  @Test
  void aUrlWithinTheSessionKeepsItsLifetimeAndCarriesNoMessage() throws Exception {
    HttpResponse<String> answer =
        client.api("GET", "/data/upload/role-data/b.txt?expires_in=60", "alice", null);
    JsonNode body = JSON.readTree(answer.body());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(UrlQuery.raw(body.get("url").asText())).containsEntry("X-Amz-Expires", "60");
    assertThat(body.has("message")).isFalse();
    assertThat(body.has("expires_in")).isFalse();
  }
}
