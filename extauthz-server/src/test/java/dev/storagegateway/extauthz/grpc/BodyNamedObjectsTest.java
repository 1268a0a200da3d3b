package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.storagegateway.extauthz.GatewayFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 DeleteObjects names its keys only in its body: the gateway allows it only to callers who may
 * delete everywhere in the bucket, so a key under a prefix bound elsewhere cannot ride along.
 */
class BodyNamedObjectsTest {
  private static final String DELETE_BODY = "<Delete><Object><Key>restricted/secret.txt</Key>"
      + "</Object></Delete>";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static EnvoyEmulator envoy;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    envoy = EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    envoy.close();
    gateway.close();
  }

  private static EnvoyEmulator.Response deleteObjects(String bucket) throws Exception {
    return envoy.send("POST", "/" + bucket + "?delete", Map.of(
        "Authorization", "Bearer " + gateway.tokenFor("alice"),
        "Content-MD5", java.util.Base64.getEncoder().encodeToString(
            java.security.MessageDigest.getInstance("MD5")
                .digest(DELETE_BODY.getBytes(StandardCharsets.UTF_8)))),
        DELETE_BODY.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void aCallerAllowedOnOnlyPartOfTheBucketMayNotDeleteByBody() throws Exception {
    // alice may write /programs/DEV/projects/test, which binds "data" except "restricted/".
    EnvoyEmulator.Response refused = deleteObjects("data");
    assertThat(refused.status()).as(refused.text()).isEqualTo(403);
    assertThat(refused.text()).contains("<Code>AccessDenied</Code>",
        "may not write-storage on every object of s3://data/", "delete the objects one by one");
  }

  @Test
  void aCallerAllowedEverywhereInTheBucketMay() throws Exception {
    EnvoyEmulator.Response allowed = deleteObjects("data-twin");
    assertThat(allowed.check().getStatus().getCode()).isEqualTo(Code.OK_VALUE);
    assertThat(allowed.status()).as(allowed.text()).isEqualTo(200);
  }
}
