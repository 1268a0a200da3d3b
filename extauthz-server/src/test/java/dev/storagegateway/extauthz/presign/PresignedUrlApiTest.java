package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static dev.storagegateway.extauthz.presign.PresignApiClient.get;
import static dev.storagegateway.extauthz.presign.PresignApiClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.Provider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Fence's presigned-URL API on the data plane's HTTP port: URLs obtained through it are used with
 * a plain HTTP client against S3Proxy, which verifies their SigV4 signatures; refusals are
 * Fence-shaped JSON and carry no URL.
 */
class PresignedUrlApiTest {
  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static PresignApiClient client;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(folder);
    client = new PresignApiClient(gateway);
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("data").key("presign/readme.txt"),
          RequestBody.fromString("hello from the data commons"));
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
  }

  /** A GET of the API without a body. */
  private static HttpResponse<String> ask(String pathAndQuery, String user) throws Exception {
    return client.api("GET", pathAndQuery, user, null);
  }

  @Test
  void aDownloadUrlFetchesTheObject() throws Exception {
    String url = field(ask("/data/download/data/presign/readme.txt", "bob"), "url");
    assertThat(url).startsWith(gateway.s3proxyEndpoint() + "/data/presign/readme.txt?")
        .contains("X-Amz-Signature=", "X-Amz-Expires=3600");

    HttpResponse<String> object = get(url);
    assertThat(object.statusCode()).as(object.body()).isEqualTo(200);
    assertThat(object.body()).isEqualTo("hello from the data commons");
  }

  @Test
  void anUploadUrlStoresTheObject() throws Exception {
    String url = field(ask("/data/upload/data/presign/uploaded.txt?expires_in=600",
        "alice"), "url");
    assertThat(url).contains("X-Amz-Expires=600");

    HttpResponse<String> stored =
        put(url, "uploaded through a presigned URL".getBytes(StandardCharsets.UTF_8));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    try (var s3 = gateway.directClient()) {
      assertThat(s3.getObjectAsBytes(g -> g.bucket("data").key("presign/uploaded.txt"))
          .asUtf8String()).isEqualTo("uploaded through a presigned URL");
    }
  }

  @Test
  void redirectAnswersWithTheUrlAsLocation() throws Exception {
    HttpResponse<String> answer =
        ask("/data/download/data/presign/readme.txt?redirect", "bob");
    assertThat(answer.statusCode()).isEqualTo(302);
    String location = answer.headers().firstValue("location").orElseThrow();
    assertThat(get(location).body()).isEqualTo("hello from the data commons");
  }

  /** S3 reads a presigned request's acceptance of the charges from its signed query. */
  @Test
  void aRequesterPaysBucketsUrlsAcceptTheChargesInTheirSignedQuery() throws Exception {
    gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT)
        .provider(Provider.AWS).requesterPays(true).build());
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("data-twin").key("paid.txt"), RequestBody.fromString("paid"));

      String download = field(ask("/data/download/data-twin/paid.txt", "bob"), "url");
      assertThat(download).contains("x-amz-request-payer=requester");
      HttpResponse<String> object = get(download);
      assertThat(object.statusCode()).as(object.body()).isEqualTo(200);
      assertThat(object.body()).isEqualTo("paid");

      String upload = field(ask("/data/upload/data-twin/paid-upload.txt", "alice"), "url");
      assertThat(upload).contains("x-amz-request-payer=requester");
      HttpResponse<String> stored = put(upload, "paid too".getBytes(StandardCharsets.UTF_8));
      assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
      // The storage verified the signature over the query: without the parameter it fails.
      HttpResponse<String> stripped = get(download.replace("x-amz-request-payer=requester&", "")
          .replace("&x-amz-request-payer=requester", ""));
      assertThat(stripped.statusCode()).isEqualTo(403);
    } finally {
      gateway.put(gateway.bucket("data-twin", "gateway.json", GatewayFixture.PROJECT).build());
    }
  }

  /**
   * A Cloud Storage bucket reached with HMAC keys gets a SigV4 URL scoped to region {@code auto},
   * as the Check path signs, with the project the gateway bills in its signed query.
   */
  @Test
  void aCloudStorageBucketWithHmacKeysGetsAUrlForRegionAutoThatBillsTheGatewaysProject()
      throws Exception {
    gateway.put(gateway.bucket("gcs-xml", "gcs-hmac.json", GatewayFixture.PROJECT)
        .provider(Provider.GCP).region("us-east1").requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build());
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("gcs-xml").key("billed.txt"), RequestBody.fromString("billed"));

      HttpResponse<String> answer =
          ask("/data/download/gcs-xml/billed.txt?userProject=someone-else", "bob");
      String url = field(answer, "url");
      assertThat(url).contains("X-Amz-Credential=" + GatewayFixture.GCS_HMAC_ID + "%2F",
          "%2Fauto%2Fs3%2Faws4_request", "userProject=gen3-billing")
          .doesNotContain("someone-else");
      assertThat(field(answer, "message")).contains("gen3-billing", "not the one asked for");
      HttpResponse<String> object = get(url);
      assertThat(object.statusCode()).as(object.body()).isEqualTo(200);
      assertThat(object.body()).isEqualTo("billed");
    } finally {
      gateway.put(gateway.bucket("gcs-xml", "gcs-hmac.json", GatewayFixture.PROJECT)
          .provider(Provider.GCP).region("us-east1").build());
    }
  }

  /**
   * As Fence: {@code protocol} picks the location to sign for, and an object's one location here
   * is its bucket; asked for another kind, the answer is Fence's 404 and no URL.
   */
  @Test
  void aProtocolIsAnsweredOnlyWithALocationOfThatKind() throws Exception {
    for (String protocol : List.of("s3", "http")) {
      String url = field(ask("/data/download/data/presign/readme.txt?protocol=" + protocol,
          "bob"), "url");
      assertThat(get(url).body()).as(protocol).isEqualTo("hello from the data commons");
    }
    assertThat(field(ask("/data/upload/data/presign/by-protocol.txt?protocol=s3", "alice"),
        "url")).contains("X-Amz-Signature=");

    for (String endpoint : List.of("download", "upload")) {
      HttpResponse<String> gs = ask("/data/" + endpoint + "/data/presign/readme.txt?protocol=gs",
          "alice");
      assertThat(gs.statusCode()).as(endpoint).isEqualTo(404);
      assertThat(error(gs).get("message").asText()).isEqualTo("File"
          + " s3://data/presign/readme.txt does not have a location with specified protocol gs;"
          + " ask for s3 or http, or leave protocol out");
    }
    // Where an object is stored is told only to whoever may read it.
    assertThat(ask("/data/download/data/presign/readme.txt?protocol=gs", null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aProtocolFenceDoesNotSignIsRefused() throws Exception {
    for (String bogus : List.of("bogus", "S3", "ftp", "")) {
      HttpResponse<String> answer =
          ask("/data/download/data/presign/readme.txt?protocol=" + bogus, "bob");
      assertThat(answer.statusCode()).as(bogus).isEqualTo(400);
      assertThat(error(answer).get("message").asText()).as(bogus).contains(
          "the protocol '" + bogus + "' is not supported; ask for s3, gs or http");
    }
  }

  @Test
  void aPublicBucketGetsAPlainUrl() throws Exception {
    gateway.put(gateway.bucket("open-data", "gateway.json", "/programs/OPEN")
        .authMode(AuthMode.PUBLIC).secretsBackend(null).secretRef(null).build());
    String url = field(ask("/data/download/open-data/a%20b/c.txt", null), "url");
    assertThat(url).isEqualTo(gateway.s3proxyEndpoint() + "/open-data/a%20b/c.txt");
  }

  @Test
  void expiresInIsCappedByTheMaximum() throws Exception {
    String url = field(ask("/data/download/data/presign/readme.txt?expires_in=86400",
        "bob"), "url");
    assertThat(url).contains("X-Amz-Expires=3600");
  }

  @Test
  void anExpiredUrlIsRefusedByTheStorage() throws Exception {
    String url =
        field(ask("/data/download/data/presign/readme.txt?expires_in=1", "bob"), "url");
    Thread.sleep(2_100);
    HttpResponse<String> object = get(url);
    assertThat(object.statusCode()).isEqualTo(403);
    assertThat(object.body()).doesNotContain("hello from the data commons");
  }

  @Test
  void aTamperedUrlOrOneMovedToAnotherKeyIsRefusedByTheStorage() throws Exception {
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("data").key("presign/other.txt"),
          RequestBody.fromString("not for this URL"));
    }
    String url = field(ask("/data/download/data/presign/readme.txt", "bob"), "url");

    String tampered = url.replace("X-Amz-Expires=3600", "X-Amz-Expires=3599");
    assertThat(tampered).isNotEqualTo(url);
    assertThat(get(tampered).statusCode()).isEqualTo(403);
    HttpResponse<String> otherKey = get(url.replace("/presign/readme.txt?", "/presign/other.txt?"));
    assertThat(otherKey.statusCode()).isEqualTo(403);
    assertThat(otherKey.body()).doesNotContain("not for this URL");
  }

  @Test
  void aReaderGetsNoUploadUrl() throws Exception {
    HttpResponse<String> answer = ask("/data/upload/data/presign/bob.txt", "bob");
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(error(answer).get("message").asText())
        .contains("bob", "write-storage", "s3://data/presign/bob.txt");
  }

  @Test
  void unknownAndSuspendedBucketsAreRefused() throws Exception {
    HttpResponse<String> unknown = ask("/data/download/nowhere/a.txt", "alice");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown).get("message").asText()).contains("nowhere", "not served");

    HttpResponse<String> suspended = ask("/data/download/suspended/a.txt", "alice");
    assertThat(suspended.statusCode()).isEqualTo(403);
    assertThat(error(suspended).get("message").asText()).contains("suspended");
  }

  @Test
  void badExpiresInIsRefused() throws Exception {
    for (String bad : new String[] {"abc", "0", "-5", "1.5", ""}) {
      HttpResponse<String> answer =
          ask("/data/download/data/presign/readme.txt?expires_in=" + bad, "bob");
      assertThat(answer.statusCode()).as(bad).isEqualTo(400);
      assertThat(error(answer).get("message").asText()).contains("expires_in");
    }
  }

  @Test
  void anonymousCallersAndBadTokensAreRefused() throws Exception {
    HttpResponse<String> anonymous = ask("/data/download/data/presign/readme.txt", null);
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(error(anonymous).get("message").asText()).contains("Bearer");

    HttpResponse<String> badToken = PresignApiClient.HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/data/download/data/a.txt"))
        .header("Authorization", "Bearer not-a-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(badToken.statusCode()).isEqualTo(401);
    error(badToken);
  }

  /**
   * The proxy rewrites the API's path on the way to the data plane, so a SigV4 signature over the
   * client's path could never verify: it is refused by name, whatever it signs.
   */
  @Test
  void sigV4CallersAreToldToSendAGen3Token() throws Exception {
    HttpResponse<String> header = PresignApiClient.HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + gateway.plane().httpPort() + "/data/download/data/a.txt"))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261126/us-east-1/s3/"
            + "aws4_request, SignedHeaders=host, Signature=" + "0".repeat(64)).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> presigned = ask("/data/download/data/a.txt?X-Amz-Algorithm="
        + "AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261126%2Fus-east-1%2Fs3%2F"
        + "aws4_request&X-Amz-Signature=" + "0".repeat(64), null);

    for (HttpResponse<String> answer : java.util.List.of(header, presigned)) {
      assertThat(answer.statusCode()).isEqualTo(403);
      assertThat(error(answer).get("message").asText())
          .contains("Authorization: Bearer", "aws s3 presign");
    }
  }

  /** The same key rules as a Check: nothing is signed for a key that could reach another one. */
  @Test
  void keysWithDotSegmentsOrControlCharactersAreRefused() throws Exception {
    // Also what a lenient decoder would guess at: a byte that is not UTF-8 (U+FFFD), an overlong
    // "..".
    for (String key : List.of("presign/..%2Frestricted%2Fx", "..", "a%0Ab", "a%FFb",
        "%C0%AE%C0%AE/x")) {
      HttpResponse<String> answer = ask("/data/download/data/" + key, "bob");
      assertThat(answer.statusCode()).as(key).isEqualTo(400);
      assertThat(answer.body()).as(key).doesNotContain("X-Amz-Signature");
    }
    HttpResponse<String> multipart = client.api("POST", "/data/multipart/init", "alice",
        "{\"bucket\": \"data\", \"key\": \"public/../restricted/x\"}");
    assertThat(multipart.statusCode()).isEqualTo(400);
    assertThat(error(multipart).get("message").asText()).contains("..");
  }

  @Test
  void unknownEndpointsAndMissingKeysAreClearErrors() throws Exception {
    HttpResponse<String> unknown = ask("/data/elsewhere/data/a.txt", "alice");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown).get("message").asText()).contains("/data/download/");

    HttpResponse<String> noKey = ask("/data/download/data/", "alice");
    assertThat(noKey.statusCode()).isEqualTo(400);
    error(noKey);
  }
}
