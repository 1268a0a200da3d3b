package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.GcpBillingProject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud Storage's S3-compatible XML API with HMAC keys, end to end: the bucket is a {@code gcp}
 * bucket whose secret holds HMAC keys, the gateway signs SigV4 for region {@code auto} as Cloud
 * Storage documents it, and S3Proxy, standing in for storage.googleapis.com, verifies every
 * signature with those keys.
 */
class GcsXmlApiTest {
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

  private static EnvoyEmulator.Response send(String user, String method, String target,
      String body) throws Exception {
    return envoy.send(method, target, Map.of("Authorization", "Bearer " + gateway.tokenFor(user)),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void hmacKeysSignEveryStepForRegionAutoAndTheStorageAcceptsThem() throws Exception {
    EnvoyEmulator.Response put = send("alice", "PUT", "/gcs-xml/dir/hello%20gcs.txt",
        "hello over the XML API");
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    String authorization = put.check().getOkResponse().getHeadersList().stream()
        .filter(h -> h.getHeader().getKey().equals("authorization")).findFirst().orElseThrow()
        .getHeader().getValue();
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential="
        + GatewayFixture.GCS_HMAC_ID + "/").contains("/auto/s3/aws4_request");

    EnvoyEmulator.Response get = send("bob", "GET", "/gcs-xml/dir/hello%20gcs.txt", null);
    assertThat(get.status()).as(get.text()).isEqualTo(200);
    assertThat(get.text()).isEqualTo("hello over the XML API");
    EnvoyEmulator.Response list = send("bob", "GET", "/gcs-xml?list-type=2&prefix=dir%2F", null);
    assertThat(list.text()).contains("<Key>dir/hello gcs.txt</Key>");
    assertThat(send("alice", "DELETE", "/gcs-xml/dir/hello%20gcs.txt", null).status())
        .isEqualTo(204);
    assertThat(gateway.s3proxyKeysSeen()).contains(GatewayFixture.GCS_HMAC_ID);
  }

  @Test
  void requesterPaysSignsTheGatewaysBillingProjectInPlaceOfTheClients() throws Exception {
    gateway.put(gateway.bucket("gcs-xml", "gcs-hmac.json", GatewayFixture.PROJECT)
        .provider(dev.storagegateway.registry.Provider.GCP).requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build());
    try {
      EnvoyEmulator.Response put = envoy.send("PUT", "/gcs-xml/paid.txt", Map.of(
          "Authorization", "Bearer " + gateway.tokenFor("alice"),
          "x-goog-user-project", "someone-elses-project"),
          "paid".getBytes(StandardCharsets.UTF_8), Map.of());
      assertThat(put.status()).as(put.text()).isEqualTo(200);
      assertThat(put.check().getOkResponse().getHeadersList()).anySatisfy(header -> {
        assertThat(header.getHeader().getKey()).isEqualTo("x-goog-user-project");
        assertThat(header.getHeader().getValue()).isEqualTo("gen3-billing");
      });
    } finally {
      gateway.put(gateway.bucket("gcs-xml", "gcs-hmac.json", GatewayFixture.PROJECT)
          .provider(dev.storagegateway.registry.Provider.GCP).build());
    }
  }

  @Test
  void aClientsUserProjectIsNeitherSignedNorForwarded() throws Exception {
    assertThat(send("alice", "PUT", "/gcs-xml/billed.txt", "billed").status()).isEqualTo(200);
    // The storage verifies the signature over the query it receives: without the parameter.
    for (String name : List.of("userProject", "user%50roject")) {
      EnvoyEmulator.Response get =
          send("bob", "GET", "/gcs-xml/billed.txt?" + name + "=someone-else", null);
      assertThat(get.status()).as(get.text()).isEqualTo(200);
      assertThat(get.text()).isEqualTo("billed");
      assertThat(get.check().getOkResponse().getQueryParametersToRemoveList())
          .containsExactly(name);
    }
  }

  @Test
  void xmlApiRefusalsStayS3Errors() throws Exception {
    EnvoyEmulator.Response denied = send("bob", "PUT", "/gcs-xml/x", "no");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.text()).contains("<Code>AccessDenied</Code>", "gs://gcs-xml/x");
    assertThat(denied.headers()).containsEntry("content-type", "application/xml");
  }
}
