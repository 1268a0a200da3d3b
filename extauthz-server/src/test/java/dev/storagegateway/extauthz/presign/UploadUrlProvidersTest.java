package dev.storagegateway.extauthz.presign;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static dev.storagegateway.extauthz.presign.PresignApiClient.get;

import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.Provider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An upload URL signs only {@code host}. Its holder can add headers nobody signed; a storage that
 * acts on them (upstream MinIO, SN-2026-011) turns the upload into a copy of any object the
 * bucket's keys can read. By default only Amazon S3 and Cloud Storage buckets get upload URLs.
 */
class UploadUrlProvidersTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static PresignApiClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder, DataPlaneSettings.loopback()
        .withPresignedUploadProviders(DataPlaneSettings.DEFAULT_UPLOAD_PROVIDERS));
    client = new PresignApiClient(gateway);
    gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT)
        .provider(Provider.AWS).build());
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("data").key("restricted/secret.txt"),
          RequestBody.fromString("the restricted project's data"));
      s3.putObject(p -> p.bucket("data").key("shared/readme.txt"),
          RequestBody.fromString("for every reader"));
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
  }

  @Test
  void anS3CompatibleBucketGetsDownloadUrlsButNoUploadUrls() throws Exception {
    HttpResponse<String> upload = client.api("GET", "/data/upload/data/alice/x.txt", "alice",
        null);
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(501);
    assertThat(error(upload).get("message").asText())
        .contains("s3_compatible", "GATEWAY_PRESIGNED_UPLOAD_PROVIDERS", "S3 endpoint");

    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "alice",
        "{\"bucket\": \"data\", \"key\": \"alice/big.bin\"}");
    assertThat(init.statusCode()).as(init.body()).isEqualTo(501);
    HttpResponse<String> part = client.api("POST", "/data/multipart/upload", "alice",
        "{\"bucket\": \"data\", \"key\": \"alice/big.bin\", \"uploadId\": \"u\","
            + " \"partNumber\": 1}");
    assertThat(part.statusCode()).as(part.body()).isEqualTo(501);

    String download = field(client.api("GET", "/data/download/data/shared/readme.txt",
        "alice", null), "url");
    assertThat(get(download).statusCode()).isEqualTo(200);
  }

  @Test
  void anAmazonS3BucketGetsUploadUrls() throws Exception {
    HttpResponse<String> upload = client.api("GET", "/data/upload/data-twin/alice/x.txt", "alice",
        null);
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    assertThat(field(upload, "url")).contains("X-Amz-Signature=");
  }

  /**
   * What the refusal is for, against a storage that refuses it itself (S3Proxy 4.1.1): the upload
   * URL of a key alice may write, sent with an unsigned copy source she may not read.
   */
  @Test
  void theStorageMustRefuseAnUnsignedCopySourceOnAnUploadUrl() throws Exception {
    String url = field(client.api("GET", "/data/upload/data-twin/alice/copy.txt", "alice", null),
        "url");

    HttpResponse<String> copied = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("x-amz-copy-source", "/data/restricted/secret.txt")
            .PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(copied.statusCode()).as(copied.body()).isEqualTo(403);
    try (var s3 = gateway.directClient()) {
      assertThat(s3.listObjectsV2(l -> l.bucket("data-twin").prefix("alice/copy.txt"))
          .contents()).isEmpty();
    }
  }
}
