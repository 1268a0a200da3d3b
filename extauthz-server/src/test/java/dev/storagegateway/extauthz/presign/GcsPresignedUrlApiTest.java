package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.GoogleOAuthServer;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.Provider;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The presigned-URL API for Cloud Storage buckets whose secret holds a service-account key: the
 * answers are V4 signed URLs, checked against Google's scheme with the account's public key.
 */
class GcsPresignedUrlApiTest {
  private static final String ACCOUNT = "gen3-gcs@gen3-data.iam.gserviceaccount.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static GoogleOAuthServer google;
  private static PresignApiClient client;
  private static PublicKey accountKey;

  @BeforeAll
  static void start() {
    google = GoogleOAuthServer.start(Clock.systemUTC());
    gateway = GatewayFixture.start(folder,
        Map.of("GATEWAY_GOOGLE_TOKEN_ENDPOINT", google.tokenUri()));
    ServiceAccount account = ServiceAccount.generate(ACCOUNT);
    accountKey = account.keys().getPublic();
    google.knowKey(account);
    gateway.writeSecret("gcs-sa.json", account.keyJson());
    gateway.put(gcsBucket("gcs-data").build());
    gateway.put(gcsBucket("gcs-payer").requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build());
    gateway.put(gateway.bucket("s3-with-gcs-key", "gcs-sa.json", GatewayFixture.PROJECT).build());
    client = new PresignApiClient(gateway);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    google.close();
    gateway.close();
  }

  private static Bucket.Builder gcsBucket(String name) {
    return gateway.bucket(name, "gcs-sa.json", GatewayFixture.PROJECT).provider(Provider.GCP)
        .endpoint(null);
  }

  private static HttpResponse<String> ask(String pathAndQuery, String user) throws Exception {
    return client.api("GET", pathAndQuery, user, null);
  }

  @Test
  void aDownloadUrlIsAV4UrlSignedByTheBucketsServiceAccount() throws Exception {
    String url = field(ask("/data/download/gcs-data/dir/a%20b.txt?expires_in=900", "bob"),
        "url");

    assertThat(url).startsWith("https://storage.googleapis.com/gcs-data/dir/a%20b.txt?");
    assertThat(UrlQuery.raw(url))
        .containsEntry("X-Goog-Algorithm", "GOOG4-RSA-SHA256")
        .containsEntry("X-Goog-Expires", "900")
        .containsEntry("X-Goog-SignedHeaders", "host")
        .doesNotContainKey("userProject");
    assertThat(UrlQuery.raw(url).get("X-Goog-Credential"))
        .startsWith(ACCOUNT.replace("@", "%40") + "%2F");
    assertThat(GoogleV4Signature.verifies(url, "GET", accountKey)).isTrue();
  }

  @Test
  void aCloudStorageObjectHasAGsLocationAndNoS3One() throws Exception {
    for (String protocol : new String[] {"gs", "http"}) {
      String url = field(ask("/data/download/gcs-data/a.txt?protocol=" + protocol, "bob"),
          "url");
      assertThat(GoogleV4Signature.verifies(url, "GET", accountKey)).as(protocol).isTrue();
    }
    HttpResponse<String> s3 = ask("/data/download/gcs-data/a.txt?protocol=s3", "bob");
    assertThat(s3.statusCode()).isEqualTo(404);
    assertThat(error(s3).get("message").asText()).isEqualTo("File gs://gcs-data/a.txt does not"
        + " have a location with specified protocol s3; ask for gs or http, or leave protocol"
        + " out");
  }

  @Test
  void anUploadUrlIsSignedForPut() throws Exception {
    String url = field(ask("/data/upload/gcs-data/incoming/new.bin", "alice"), "url");

    assertThat(UrlQuery.raw(url)).containsEntry("X-Goog-Expires", "3600");
    assertThat(GoogleV4Signature.verifies(url, "PUT", accountKey)).isTrue();
    assertThat(GoogleV4Signature.verifies(url, "GET", accountKey)).isFalse();
  }

  @Test
  void aRequesterPaysBucketsUrlBillsTheGatewaysProject() throws Exception {
    String url = field(ask("/data/download/gcs-payer/a.txt", "bob"), "url");

    assertThat(UrlQuery.raw(url)).containsEntry("userProject", "gen3-billing");
    assertThat(GoogleV4Signature.verifies(url, "GET", accountKey)).isTrue();
  }

  @Test
  void aCallersOwnUserProjectIsNotUsedAndTheAnswerSaysSo() throws Exception {
    HttpResponse<String> answer = ask("/data/download/gcs-payer/a.txt?userProject=my-lab", "bob");
    JsonNode body = JSON.readTree(answer.body());

    assertThat(UrlQuery.raw(field(answer, "url")))
        .containsEntry("userProject", "gen3-billing");
    assertThat(body.get("message").asText()).contains("gen3-billing", "requester-pays");

    HttpResponse<String> notPaying =
        ask("/data/download/gcs-data/a.txt?userProject=my-lab", "bob");
    assertThat(UrlQuery.raw(field(notPaying, "url")))
        .doesNotContainKey("userProject");
    assertThat(JSON.readTree(notPaying.body()).get("message").asText())
        .contains("not requester-pays");
  }

  @Test
  void redirectSendsTheSignedUrlAsLocation() throws Exception {
    HttpResponse<String> answer = ask("/data/download/gcs-data/a.txt?redirect=true", "bob");

    assertThat(answer.statusCode()).isEqualTo(302);
    String location = answer.headers().firstValue("location").orElseThrow();
    assertThat(GoogleV4Signature.verifies(location, "GET", accountKey)).isTrue();
  }

  /**
   * The key's account may read far more than this bucket, and an endpoint outside Google's hosts
   * could replay what the key signs: it serves gcp buckets only.
   */
  @Test
  void aServiceAccountKeyOnAnotherProvidersBucketSignsNothing() throws Exception {
    HttpResponse<String> answer = ask("/data/download/s3-with-gcs-key/a.txt", "bob");

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(error(answer).get("message").asText())
        .contains("s3-with-gcs-key", "serves gcp buckets only");
  }

  @Test
  void refusalsSignNothing() throws Exception {
    HttpResponse<String> reader = ask("/data/upload/gcs-data/bob.txt", "bob");
    assertThat(reader.statusCode()).isEqualTo(403);
    assertThat(error(reader).get("message").asText())
        .contains("write-storage", "gs://gcs-data/bob.txt");

    HttpResponse<String> multipart = client.api("POST", "/data/multipart/init", "alice",
        "{\"bucket\": \"gcs-data\", \"key\": \"big.bin\"}");
    assertThat(multipart.statusCode()).isEqualTo(501);
    assertThat(error(multipart).get("message").asText())
        .contains("/data/upload/gcs-data/<key>");
  }
}
