package dev.storagegateway.extauthz.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.http.HttpCheckServer;
import dev.storagegateway.registry.RouteSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Session credentials through Envoy's gRPC ext_authz (emulated from Envoy's own protos, in front
 * of S3Proxy): a SigV4-signed request and a presigned URL are re-signed for the storage, and the
 * presigned URL's credentials are named in {@code query_parameters_to_remove} so they never reach
 * it. Envoy's {@code http_service} cannot drop query parameters, so there presigned URLs are
 * refused.
 */
class EnvoySessionCredentialsTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static EnvoyEmulator envoy;
  private static AwsSessionCredentials alice;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    envoy = EnvoyEmulator.connect(gateway.plane().grpcPort(), gateway.s3proxyEndpoint());
    alice = gateway.sessionCredentials("alice");
    try (S3Client admin = gateway.directClient()) {
      admin.putObject(b -> b.bucket("data").key("envoy/some file.txt"),
          RequestBody.fromString("through envoy"));
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (envoy != null) {
      envoy.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aRequestSignedWithSessionCredentialsIsReSignedForTheStorage() throws Exception {
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(alice)
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http")
            .host("gateway.example.org").encodedPath("/data/envoy/some%20file.txt").build())
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
    Map<String, String> headers = new LinkedHashMap<>();
    signed.forEachHeader((name, values) -> headers.put(name, String.join(",", values)));

    EnvoyEmulator.Response response = envoy.send("GET", "/data/envoy/some%20file.txt", headers,
        new byte[0], Map.of());

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("through envoy");
    assertThat(response.check().getOkResponse().getHeadersToRemoveList())
        .contains("x-amz-security-token");
  }

  @Test
  void aPresignedUrlsCredentialsAreDroppedFromTheQueryEnvoyForwards() throws Exception {
    URI url;
    try (S3Presigner presigner = S3Presigner.builder()
        .endpointOverride(URI.create("http://gateway.example.org"))
        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(alice))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build()) {
      url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("data").key("envoy/some file.txt")
              .responseCacheControl("no-cache"))).url().toURI();
    }
    String target = url.getRawPath() + "?" + url.getRawQuery();

    EnvoyEmulator.Response response = envoy.send("GET", target, Map.of(), new byte[0],
        Map.of());

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("through envoy");
    assertThat(response.headers()).containsEntry("cache-control", "no-cache");
    assertThat(response.check().getOkResponse().getQueryParametersToRemoveList())
        .containsExactlyInAnyOrder("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature");
  }

  @Test
  void envoysHttpServiceModeRefusesPresignedUrls() throws Exception {
    URI url;
    try (S3Presigner presigner = S3Presigner.builder()
        .endpointOverride(URI.create("http://gateway.example.org"))
        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(alice))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build()) {
      url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("data").key("k"))).url().toURI();
    }
    HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy"
            + url.getRawPath() + "?" + url.getRawQuery()))
        .header("X-Forwarded-Host", "ignored")
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT)
        .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    // The JDK client sends its own Host; the signature covers gateway.example.org, but the
    // refusal comes first.
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("presigned URLs cannot be used through this proxy");
    assertThat(List.of(refused.body())).noneMatch(body -> body.contains(alice.sessionToken()));
  }
}
