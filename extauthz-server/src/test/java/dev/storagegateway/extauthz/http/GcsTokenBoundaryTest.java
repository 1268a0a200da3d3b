package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import dev.storagegateway.credentials.GoogleOAuthServer;
import dev.storagegateway.credentials.GoogleOAuthServer.Downscoping;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.check.CredentialsStep;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RouteSettings;
import dev.storagegateway.testpeers.CloudStorageStandIn;
import dev.storagegateway.testpeers.CloudStorageStandIn.Recorded;
import dev.storagegateway.testpeers.NginxServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * With token boundaries on, the Cloud Storage token a check hands on reaches the request's bucket
 * with the roles its action needs and nothing else: Google's token exchange (a local STS that
 * follows its documented contract) narrows the service account's token, and the storage only
 * ever sees narrowed tokens.
 */
class GcsTokenBoundaryTest {
  private static final String SERVICE_ACCOUNT = "gateway-data@gen3-data.iam.gserviceaccount.com";
  private static final List<String> READER =
      List.of("roles/storage.objectViewer", "roles/storage.legacyBucketReader");
  private static final List<String> WRITER = List.of("roles/storage.objectUser");
  private static final List<String> SOURCE = List.of("roles/storage.objectViewer");
  private static final Pattern BUCKET_IN_PATH = Pattern.compile("/b/([^/?]+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path folder;

  private static GoogleOAuthServer google;
  private static GatewayFixture gateway;
  private static CloudStorageStandIn storage;
  private static NginxServer nginx;

  @BeforeAll
  static void start() {
    google = GoogleOAuthServer.start(Clock.systemUTC());
    gateway = GatewayFixture.start(folder, Map.of(
        "GATEWAY_GOOGLE_TOKEN_ENDPOINT", google.tokenUri(),
        "GATEWAY_GCS_TOKEN_BOUNDARIES", "true",
        "GATEWAY_GOOGLE_STS_ENDPOINT", google.stsUri()));
    ServiceAccount account = ServiceAccount.generate(SERVICE_ACCOUNT);
    google.knowKey(account);
    storage = CloudStorageStandIn.start(GcsTokenBoundaryTest::downscoped,
        List.of("gcs-data", "gcs-source"));
    gateway.writeSecret("gcs-sa.json", account.keyJson());
    for (String bucket : List.of("gcs-data", "gcs-source")) {
      gateway.put(gateway.bucket(bucket, "gcs-sa.json", GatewayFixture.PROJECT)
          .provider(Provider.GCP).region("us-east1").endpoint(storage.endpoint().toString())
          .build());
    }
    nginx = NginxServer.start(folder.resolve("nginx"),
        new InetSocketAddress("127.0.0.1", gateway.plane().httpPort()), storage.endpoint());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (nginx != null) {
      nginx.close();
    }
    if (storage != null) {
      storage.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (google != null) {
      google.close();
    }
  }

  @BeforeEach
  void serveExchanges() {
    google.disableSts(false);
    storage.clearRequests();
  }

  private static boolean downscoped(String token) {
    return downscopingOf(token).isPresent();
  }

  private static Optional<Downscoping> downscopingOf(String token) {
    return google.downscopings().stream()
        .filter(downscoping -> downscoping.accessToken().equals(token)).findFirst();
  }

  @Test
  void theStorageSeesOnlyTokensNarrowedToTheRequestsBucketAndAction() {
    Storage alice = client("alice");
    alice.create(BlobInfo.newBuilder("gcs-data", "narrow/hello.txt").build(),
        "narrowed".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(alice.readAllBytes(BlobId.of("gcs-data", "narrow/hello.txt")),
        StandardCharsets.UTF_8)).isEqualTo("narrowed");
    assertThat(alice.delete(BlobId.of("gcs-data", "narrow/hello.txt"))).isTrue();

    List<Recorded> signed = storage.requests().stream()
        .filter(request -> request.header("authorization") != null).toList();
    assertThat(signed).extracting(Recorded::method).contains("POST", "GET", "DELETE");
    for (Recorded request : signed) {
      Downscoping downscoping = downscopingOf(
          request.header("authorization").substring("Bearer ".length())).orElseThrow();
      assertThat(downscoping.rolesByBucket()).as(request.method() + " " + request.rawUri())
          .isEqualTo(Map.of(bucketOf(request),
              request.method().equals("GET") ? READER : WRITER));
    }
    // The service account's own token went only to the token exchange.
    List<String> sourceTokens = google.grants().stream()
        .map(GoogleOAuthServer.Grant::accessToken).toList();
    assertThat(signed).allSatisfy(request -> assertThat(sourceTokens)
        .noneMatch(token -> request.header("authorization").contains(token)));
  }

  @Test
  void aCopyAcrossBucketsMayReadItsSourceAndNothingMore() {
    storage.put("gcs-source", "original.txt", "copied across");
    Storage alice = client("alice");

    alice.copy(Storage.CopyRequest.of("gcs-source", "original.txt",
        BlobId.of("gcs-data", "copies/original.txt"))).getResult();

    assertThat(storage.text("gcs-data", "copies/original.txt")).isEqualTo("copied across");
    Recorded rewrite = storage.requests().stream()
        .filter(request -> request.rawUri().contains("/rewriteTo/")).findFirst().orElseThrow();
    assertThat(downscopingOf(rewrite.header("authorization").substring("Bearer ".length()))
        .orElseThrow().rolesByBucket())
        .isEqualTo(Map.of("gcs-data", WRITER, "gcs-source", SOURCE));
  }

  @Test
  void aCheckCarriesANarrowedTokenThatIsReusedAndACopyMayReadItsSource() throws Exception {
    HttpResponse<String> read = check("GET", "/gcs-data/reused.txt", Map.of());
    HttpResponse<String> again = check("GET", "/gcs-data/other.txt", Map.of());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(again.headers().firstValue("authorization"))
        .isEqualTo(read.headers().firstValue("authorization"));
    assertThat(boundaryIn(read)).isEqualTo(Map.of("gcs-data", READER));

    HttpResponse<String> write = check("PUT", "/gcs-data/written.txt", Map.of());
    assertThat(boundaryIn(write)).isEqualTo(Map.of("gcs-data", WRITER));

    HttpResponse<String> copy = check("PUT", "/gcs-data/copied.txt",
        Map.of("x-amz-copy-source", "/gcs-source/original.txt"));
    assertThat(copy.statusCode()).as(copy.body()).isEqualTo(200);
    assertThat(boundaryIn(copy)).isEqualTo(Map.of("gcs-data", WRITER, "gcs-source", SOURCE));
  }

  @Test
  void aFailedExchangeIsA503AndNoTokenGoesOut() throws Exception {
    google.disableSts(true);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger step = (Logger) LoggerFactory.getLogger(CredentialsStep.class);
    step.addAppender(logs);
    try {
      HttpResponse<String> refused = check("DELETE", "/gcs-source/not-yet-exchanged.txt",
          Map.of());

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("<Code>ServiceUnavailable</Code>", "retry later");
      assertThat(refused.headers().firstValue("authorization")).isEmpty();
      // The bucket's own token was at hand: the exchange is what failed.
      assertThat(gateway.meters().get("gateway.gcs.token.exchanges").tag("outcome", "failed")
          .counter().count()).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        assertThat(check("DELETE", "/gcs-source/not-yet-exchanged.txt", Map.of()).statusCode())
            .isEqualTo(503);
      }
    } finally {
      step.detachAppender(logs);
    }
    // Each refusal is counted; the reason is logged once a minute per bucket, not per request.
    assertThat(logs.list).filteredOn(line -> line.getFormattedMessage().contains("gcs-source"))
        .hasSize(1);
  }

  private static Map<String, List<String>> boundaryIn(HttpResponse<String> allowed) {
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    String authorization = allowed.headers().firstValue("authorization").orElseThrow();
    return downscopingOf(authorization.substring("Bearer ".length())).orElseThrow()
        .rolesByBucket();
  }

  private static String bucketOf(Recorded request) {
    Matcher bucket = BUCKET_IN_PATH.matcher(request.rawUri());
    assertThat(bucket.find()).as(request.rawUri()).isTrue();
    return bucket.group(1);
  }

  /** Envoy's http_service mode, for alice, through the XML API's path-style addressing. */
  private static HttpResponse<String> check(String method, String target,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gateway.plane().httpPort() + "/envoy" + target))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + gateway.tokenFor("alice"))
        .header(HttpCheckServer.FORWARDS_TO_HEADER, RouteSettings.FORWARDS_TO_BUCKET_ENDPOINT);
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Storage client(String user) {
    return GoogleStorageClient.through(nginx.endpoint(), gateway.tokenFor(user));
  }
}
