package dev.storagegateway.extauthz.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import dev.storagegateway.credentials.GoogleOAuthServer.ServiceAccount;
import dev.storagegateway.credentials.GoogleOAuthServer;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.registry.GcpBillingProject;
import dev.storagegateway.registry.PrefixBinding;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.testpeers.CloudStorageStandIn.Recorded;
import dev.storagegateway.testpeers.CloudStorageStandIn;
import dev.storagegateway.testpeers.NginxServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud Storage's JSON API end to end through nginx: the real google-cloud-storage client, given
 * nothing but a Gen3 access token as its OAuth token, against a stand-in for
 * storage.googleapis.com that records what arrives. The gateway replaces the token with the
 * bucket's own, minted by google-auth-library from the service-account key in the bucket's secret
 * at a local token service that verifies the signed assertion as Google does.
 */
class GcsJsonApiTest {
  private static final String SERVICE_ACCOUNT = "gen3-gcs@gen3-data.iam.gserviceaccount.com";

  @TempDir
  static Path folder;

  private static GatewayFixture gateway;
  private static GoogleOAuthServer google;
  private static CloudStorageStandIn storage;
  private static NginxServer nginx;
  /** Every Gen3 token a client held, none of which may reach the storage. */
  private static final Set<String> gen3Tokens = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    google = GoogleOAuthServer.start(Clock.systemUTC());
    gateway = GatewayFixture.start(folder,
        Map.of("GATEWAY_GOOGLE_TOKEN_ENDPOINT", google.tokenUri()));
    ServiceAccount account = ServiceAccount.generate(SERVICE_ACCOUNT);
    google.knowKey(account);
    storage = CloudStorageStandIn.start(GcsJsonApiTest::issuedByGoogle,
        List.of("gcs-data", "gcs-split", "gcs-payer", "gcs-hmac"));
    // A key file stored as it is, as an administrator would put it in the secrets backend.
    gateway.writeSecret("gcs-sa.json", account.keyJson());
    gateway.put(gcsBucket("gcs-data", "gcs-sa.json").build());
    gateway.put(gcsBucket("gcs-split", "gcs-sa.json").prefixBindings(List.of(
        new PrefixBinding("", GatewayFixture.PROJECT),
        new PrefixBinding("restricted/", "/programs/DEV/projects/restricted"))).build());
    gateway.put(gcsBucket("gcs-payer", "gcs-sa.json").requesterPays(true)
        .labels(Map.of(GcpBillingProject.LABEL, "gen3-billing")).build());
    gateway.put(gcsBucket("gcs-hmac", "gcs-hmac.json").build());
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
    if (google != null) {
      google.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @BeforeEach
  void forgetRequests() {
    storage.clearRequests();
  }

  private static dev.storagegateway.registry.Bucket.Builder gcsBucket(String name,
      String secret) {
    return gateway.bucket(name, secret, GatewayFixture.PROJECT).provider(Provider.GCP)
        .region("us-east1").endpoint(storage.endpoint().toString());
  }

  private static boolean issuedByGoogle(String token) {
    return google.grants().stream().anyMatch(grant -> grant.accessToken().equals(token));
  }

  // ---------------------------------------------------------------- google-cloud-storage

  @Test
  void theJavaClientWorksWithNothingButAGen3Token() throws Exception {
    Storage alice = client("alice");
    Storage bob = client("bob");
    BlobInfo info = BlobInfo.newBuilder("gcs-data", "dir/hello world.txt")
        .setContentType("text/plain").setMetadata(Map.of("origin", "java-client")).build();
    alice.create(info, "hello gcs".getBytes(StandardCharsets.UTF_8));
    assertThat(storage.text("gcs-data", "dir/hello world.txt")).isEqualTo("hello gcs");

    assertThat(new String(bob.readAllBytes(BlobId.of("gcs-data", "dir/hello world.txt")),
        StandardCharsets.UTF_8)).isEqualTo("hello gcs");
    Blob blob = bob.get(BlobId.of("gcs-data", "dir/hello world.txt"));
    assertThat(blob.getSize()).isEqualTo(9L);
    assertThat(blob.getMetadata()).containsEntry("origin", "java-client");
    assertThat(StreamSupport.stream(bob.list("gcs-data", Storage.BlobListOption.prefix("dir/"))
        .iterateAll().spliterator(), false).map(Blob::getName)).contains("dir/hello world.txt");
    assertThat(bob.get("gcs-data").getName()).isEqualTo("gcs-data");

    alice.copy(Storage.CopyRequest.of("gcs-data", "dir/hello world.txt",
        BlobId.of("gcs-data", "dir/copy.txt"))).getResult();
    alice.compose(Storage.ComposeRequest.newBuilder()
        .addSource("dir/hello world.txt", "dir/copy.txt")
        .setTarget(BlobInfo.newBuilder("gcs-data", "dir/joined.txt").build()).build());
    assertThat(storage.text("gcs-data", "dir/joined.txt")).isEqualTo("hello gcshello gcs");
    assertThat(alice.delete(BlobId.of("gcs-data", "dir/copy.txt"))).isTrue();
    assertThat(storage.text("gcs-data", "dir/copy.txt")).isNull();

    assertReachedStorageAsCloudStorageExpects();
  }

  @Test
  void aResumableUploadStartsSignedAndContinuesOnItsSessionAlone() throws Exception {
    Storage alice = client("alice");
    try (WriteChannel writer = alice.writer(BlobInfo.newBuilder("gcs-data", "big/resumable.bin")
        .build())) {
      writer.write(ByteBuffer.wrap("sent in a session".getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(storage.text("gcs-data", "big/resumable.bin")).isEqualTo("sent in a session");
    List<Recorded> requests = storage.requests();
    assertThat(requests).anySatisfy(start -> {
      assertThat(start.method()).isEqualTo("POST");
      assertThat(start.rawUri()).contains("uploadType=resumable").doesNotContain("upload_id");
      assertThat(start.header("authorization")).startsWith("Bearer ya29.");
    });
    // The session URL came back through nginx, so the data went through the gateway too, which
    // sent it on with no credentials: the session is Cloud Storage's own.
    assertThat(requests).anySatisfy(put -> {
      assertThat(put.method()).isEqualTo("PUT");
      assertThat(put.rawUri()).contains("upload_id=");
      assertThat(put.header("authorization")).isNull();
    });
    assertReachedStorageAsCloudStorageExpects();
  }

  @Test
  void nginxForwardsTheGatewaysBillingProjectWhateverTheClientSent() {
    storage.put("gcs-payer", "paid.txt", "paid");
    storage.put("gcs-data", "free.txt", "free");
    Storage bob = client("bob");

    assertThat(new String(bob.readAllBytes(BlobId.of("gcs-payer", "paid.txt")),
        StandardCharsets.UTF_8)).isEqualTo("paid");
    assertThat(new String(bob.readAllBytes(BlobId.of("gcs-payer", "paid.txt"),
        Storage.BlobSourceOption.userProject("someone-else")), StandardCharsets.UTF_8))
        .isEqualTo("paid");
    assertThat(new String(bob.readAllBytes(BlobId.of("gcs-data", "free.txt"),
        Storage.BlobSourceOption.userProject("someone-else")), StandardCharsets.UTF_8))
        .isEqualTo("free");

    List<String> paid = storage.requests().stream().map(Recorded::rawUri)
        .filter(uri -> uri.contains("/b/gcs-payer/")).toList();
    assertThat(paid).hasSizeGreaterThanOrEqualTo(2).allSatisfy(uri -> assertThat(uri)
        .contains("userProject=gen3-billing").doesNotContain("someone-else"));
    assertThat(storage.requests()).filteredOn(request -> request.rawUri().contains("/b/gcs-data/"))
        .isNotEmpty().allSatisfy(request -> assertThat(request.rawUri())
            .doesNotContain("userProject"));
  }

  // ---------------------------------------------------------------- gcloud

  @Test
  void gcloudStorageWorksWithNothingButAGen3Token() throws Exception {
    Path local = folder.resolve("gcloud-upload.txt");
    Files.writeString(local, "uploaded by gcloud");
    Gcloud gcloud = Gcloud.withToken(folder.resolve("gcloud"), gen3Token("alice"),
        nginx.endpoint());
    gcloud.run("storage", "cp", local.toString(), "gs://gcs-data/gcloud/file.txt");
    assertThat(storage.text("gcs-data", "gcloud/file.txt")).isEqualTo("uploaded by gcloud");
    assertThat(gcloud.run("storage", "ls", "gs://gcs-data/gcloud/"))
        .contains("gs://gcs-data/gcloud/file.txt");
    assertThat(gcloud.run("storage", "cat", "gs://gcs-data/gcloud/file.txt"))
        .isEqualTo("uploaded by gcloud");
    gcloud.run("storage", "rm", "gs://gcs-data/gcloud/file.txt");
    assertThat(storage.text("gcs-data", "gcloud/file.txt")).isNull();
    assertReachedStorageAsCloudStorageExpects();

    Gcloud bob = Gcloud.withToken(folder.resolve("gcloud-bob"), gen3Token("bob"),
        nginx.endpoint());
    assertThat(bob.fails("storage", "cp", local.toString(), "gs://gcs-data/gcloud/bob.txt"))
        .contains("does not have permission", "user 'bob' may not write-storage on gs://gcs-data/");
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void refusalsAreCloudStorageJsonErrorsTheClientReads() {
    Storage alice = client("alice");
    Storage bob = client("bob");
    Storage anonymous = StorageOptions.http().setHost(nginx.endpoint().toString())
        .setProjectId("gen3-data").setCredentials(NoCredentials.getInstance())
        .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
        .build().getService();
    storage.put("gcs-data", "readable.txt", "r");

    assertRefused(() -> bob.create(BlobInfo.newBuilder("gcs-data", "x.txt").build(),
        new byte[] {1}), 403, "forbidden", "user 'bob' may not write-storage");
    assertRefused(() -> anonymous.readAllBytes(BlobId.of("gcs-data", "readable.txt")), 403,
        "forbidden", "anonymous access may not read-storage on gs://gcs-data/readable.txt");
    assertRefused(() -> alice.readAllBytes(BlobId.of("nowhere", "x")), 404, "notFound",
        "the bucket 'nowhere' is not served by this gateway");
    assertRefused(() -> alice.create(BlobInfo.newBuilder("gcs-split", "x.txt").build(),
        new byte[] {1}), 403, "forbidden", "name=<object>");
    assertRefused(() -> alice.readAllBytes(BlobId.of("gcs-split", "restricted/x")), 403,
        "forbidden", "gs://gcs-split/restricted/x");
    assertRefused(() -> alice.get(BlobId.of("gcs-hmac", "x")), 400, "invalid",
        "only on its XML API");
    assertRefused(() -> alice.get(BlobId.of("data", "x")), 400, "invalid",
        "is not a Cloud Storage bucket");
    assertThat(storage.requests()).isEmpty();
  }

  @Test
  void anUploadNamedInTheQueryNeedsOnlyThatObjectsPrefix() throws Exception {
    // The Java client names a multipart upload only in its body; a plain HTTP client can put it
    // in name= and then needs write access to that object alone.
    HttpResponse<String> allowed = post(gen3Token("alice"),
        "/upload/storage/v1/b/gcs-split/o?uploadType=media&name=open%2Fnamed.txt", "named");
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    assertThat(storage.text("gcs-split", "open/named.txt")).isEqualTo("named");
    HttpResponse<String> refused = post(gen3Token("alice"),
        "/upload/storage/v1/b/gcs-split/o?uploadType=media&name=restricted%2Fnamed.txt", "named");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("content-type"))
        .contains("application/json; charset=UTF-8");
    assertThat(refused.body()).contains("\"reason\":\"forbidden\"",
        "gs://gcs-split/restricted/named.txt");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * What reached the storage is what Cloud Storage expects: the bucket's OAuth token (or nothing,
   * for an upload session), never a Gen3 token, and the path exactly as the client sent it to
   * nginx (which logs no query string, since one may carry a credential).
   */
  private static void assertReachedStorageAsCloudStorageExpects() throws Exception {
    assertThat(storage.requests()).isNotEmpty();
    List<String> sentToNginx = nginx.accessLogWith(storage.requests().stream()
        .map(GcsJsonApiTest::nginxLineOf).toArray(String[]::new)).lines().toList();
    for (Recorded request : storage.requests()) {
      String authorization = request.header("authorization");
      if (!request.rawUri().contains("upload_id=")) {
        assertThat(authorization).as(request.rawUri()).startsWith("Bearer ");
        assertThat(issuedByGoogle(authorization.substring("Bearer ".length()))).isTrue();
      }
      for (String gen3 : gen3Tokens) {
        assertThat(request.headers().values()).as(request.rawUri())
            .noneMatch(value -> value.contains(gen3));
      }
      assertThat(request.header("x-goog-user-project")).isNull();
      String line = nginxLineOf(request);
      assertThat(sentToNginx).as("nginx received " + line).anyMatch(l -> l.contains(line));
    }
    String logs = nginx.logs();
    assertThat(logs).doesNotContain("ya29.", "eyJ").doesNotContainPattern("upload_id=[^-]");
  }

  /** nginx logs no query string: an upload session's id in it is the session's credential. */
  private static String nginxLineOf(Recorded request) {
    return "\"" + request.method() + " " + request.rawUri().split("\\?", 2)[0] + "\"";
  }

  private static HttpResponse<String> post(String token, String target, String body)
      throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(nginx.endpoint() + target))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String gen3Token(String user) {
    String token = gateway.tokenFor(user);
    gen3Tokens.add(token);
    return token;
  }

  private static Storage client(String user) {
    return GoogleStorageClient.through(nginx.endpoint(), gen3Token(user));
  }

  private static void assertRefused(Runnable call, int status, String reason,
      String messagePart) {
    StorageException refused = catchThrowableOfType(call::run, StorageException.class);
    assertThat(refused).as("expected a refusal with " + status).isNotNull();
    assertThat(refused.getCode()).as(refused.getMessage()).isEqualTo(status);
    assertThat(refused.getReason()).as(refused.getMessage()).isEqualTo(reason);
    assertThat(refused.getMessage()).contains(messagePart);
  }
}
