package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static dev.storagegateway.extauthz.presign.PresignApiClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.testpeers.IndexdStandIn;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Downloads by GUID, as gen3-client and gen3sdk ask Fence for them: the file's indexd record
 * says where it is stored and who may read it, and the URL made for its location is used against
 * S3Proxy, which verifies the signature. indexd is the stand-in that follows its contract.
 */
class GuidDownloadTest {
  private static final String OPEN = "/programs/OPEN";
  private static final String RESTRICTED = "/programs/DEV/projects/restricted";
  private static final String ALICE = "/programs/DEV/projects/alice";
  private static final String README = "s3://data/presign/readme.txt";

  @TempDir
  static Path folder;

  private static IndexdStandIn indexd;
  private static GatewayFixture gateway;
  private static PresignApiClient client;

  @BeforeAll
  static void start() {
    indexd = IndexdStandIn.start();
    gateway = GatewayFixture.start(folder, DataPlaneSettings.loopback().withIndexd(
        new IndexdSettings(indexd.url(), Set.of("data", "gcs-xml", "suspended", "not-ours"))));
    client = new PresignApiClient(gateway);
    try (var s3 = gateway.directClient()) {
      s3.putObject(p -> p.bucket("data").key("presign/readme.txt"),
          RequestBody.fromString("hello from the data commons"));
      s3.putObject(p -> p.bucket("data").key("restricted/secret.txt"),
          RequestBody.fromString("restricted by its binding"));
    }
  }

  @AfterEach
  void answerNormally() {
    indexd.failWith(0);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
    indexd.close();
  }

  private static HttpResponse<String> download(String guidAndQuery, String user)
      throws Exception {
    return client.api("GET", "/data/download/" + guidAndQuery, user, null);
  }

  @Test
  void aGuidsRecordGivesAUrlForItsLocationThatTheStorageAccepts() throws Exception {
    indexd.add("dg.TEST/0a1b2c3d-0000-4000-8000-000000000001", List.of(README),
        List.of(GatewayFixture.PROJECT), List.of(), null);

    String url = field(download("dg.TEST/0a1b2c3d-0000-4000-8000-000000000001", "bob"), "url");

    assertThat(url).startsWith(gateway.s3proxyEndpoint() + "/data/presign/readme.txt?")
        .contains("X-Amz-Signature=");
    HttpResponse<String> object = get(url);
    assertThat(object.statusCode()).as(object.body()).isEqualTo(200);
    assertThat(object.body()).isEqualTo("hello from the data commons");
  }

  /** Fence's rule: the record's authz, wherever the file is stored, not the bucket's binding. */
  @Test
  void theRecordsAuthzDecidesNotTheBindingOfWhereTheFileIsStored() throws Exception {
    indexd.add("dg.TEST/restricted-by-record", List.of(README), List.of(RESTRICTED), List.of(),
        null);
    indexd.add("dg.TEST/open-by-record", List.of("s3://data/restricted/secret.txt"),
        List.of(GatewayFixture.PROJECT), List.of(), null);

    HttpResponse<String> refused = download("dg.TEST/restricted-by-record", "bob");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(error(refused).path("message").asText())
        .contains("user 'bob' may not read-storage", "dg.TEST/restricted-by-record",
            RESTRICTED);
    assertThat(get(field(download("dg.TEST/restricted-by-record", "carol"), "url")).body())
        .isEqualTo("hello from the data commons");
    assertThat(get(field(download("dg.TEST/open-by-record", "bob"), "url")).body())
        .isEqualTo("restricted by its binding");
  }

  @Test
  void everyAuthzResourceOfTheRecordIsNeeded() throws Exception {
    indexd.add("dg.TEST/two-projects", List.of(README), List.of(GatewayFixture.PROJECT, ALICE),
        List.of(), null);

    assertThat(download("dg.TEST/two-projects", "bob").statusCode()).isEqualTo(403);
    assertThat(download("dg.TEST/two-projects", "carol").statusCode()).isEqualTo(403);
    assertThat(field(download("dg.TEST/two-projects", "alice"), "url"))
        .contains("X-Amz-Signature=");
  }

  @Test
  void anonymousCallersGetWhatArboristsAnonymousPoliciesAllow() throws Exception {
    indexd.add("dg.TEST/open-data", List.of(README), List.of(OPEN), List.of(), null);
    indexd.add("dg.TEST/project-data", List.of(README), List.of(GatewayFixture.PROJECT),
        List.of(), null);

    assertThat(get(field(download("dg.TEST/open-data", null), "url")).statusCode())
        .isEqualTo(200);
    HttpResponse<String> refused = download("dg.TEST/project-data", null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(error(refused).path("message").asText())
        .contains("anonymous access may not read-storage", "Authorization: Bearer");
  }

  /** Records without authz: Fence's public acl and its uploader rule; project acls refused. */
  @Test
  void recordsWithoutAuthzArePublicByAclOrTheirUploadersOnly() throws Exception {
    indexd.add("dg.TEST/public-acl", List.of(README), List.of(), List.of("*"), null);
    indexd.add("dg.TEST/just-uploaded", List.of(README), List.of(), List.of(), "alice");
    indexd.add("dg.TEST/project-acl", List.of(README), List.of(), List.of("phs000123"), null);

    assertThat(get(field(download("dg.TEST/public-acl", null), "url")).statusCode())
        .isEqualTo(200);
    assertThat(field(download("dg.TEST/just-uploaded", "alice"), "url"))
        .contains("X-Amz-Signature=");
    assertThat(download("dg.TEST/just-uploaded", "bob").statusCode()).isEqualTo(403);
    assertThat(download("dg.TEST/just-uploaded", null).statusCode()).isEqualTo(403);
    HttpResponse<String> legacy = download("dg.TEST/project-acl", "alice");
    assertThat(legacy.statusCode()).isEqualTo(403);
    assertThat(error(legacy).path("message").asText())
        .contains("no authz resources", "indexd administrator");
  }

  @Test
  void aGuidIndexdDoesNotKnowIsFencesNotFound() throws Exception {
    HttpResponse<String> missing = download("dg.TEST/never-registered", "alice");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing).path("message").asText())
        .startsWith("No indexed document found with id dg.TEST/never-registered");
  }

  @Test
  void theProtocolPicksAmongTheRecordsLocationsAsFenceDoes() throws Exception {
    indexd.add("dg.TEST/many-places", List.of("https://mirror.example.org/readme.txt",
        "gs://gcs-xml/readme.txt", README), List.of(GatewayFixture.PROJECT), List.of(), null);

    assertThat(field(download("dg.TEST/many-places", "bob"), "url"))
        .isEqualTo("https://mirror.example.org/readme.txt");
    assertThat(field(download("dg.TEST/many-places?protocol=http", "bob"), "url"))
        .isEqualTo("https://mirror.example.org/readme.txt");
    String s3 = field(download("dg.TEST/many-places?protocol=s3", "bob"), "url");
    assertThat(get(s3).body()).isEqualTo("hello from the data commons");
    assertThat(field(download("dg.TEST/many-places?protocol=gs", "bob"), "url"))
        .contains("/gcs-xml/readme.txt?", "X-Amz-Signature=");

    indexd.add("dg.TEST/s3-only", List.of(README), List.of(GatewayFixture.PROJECT), List.of(),
        null);
    HttpResponse<String> noGs = download("dg.TEST/s3-only?protocol=gs", "bob");
    assertThat(noGs.statusCode()).isEqualTo(404);
    assertThat(error(noGs).path("message").asText()).isEqualTo("File dg.TEST/s3-only does not"
        + " have a location with specified protocol gs; leave protocol out for its first"
        + " location");
  }

  @Test
  void redirectSendsTheClientToTheSignedUrl() throws Exception {
    indexd.add("dg.TEST/redirected", List.of(README), List.of(GatewayFixture.PROJECT), List.of(),
        null);

    HttpResponse<String> answer = download("dg.TEST/redirected?redirect", "bob");

    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(get(answer.headers().firstValue("location").orElseThrow()).body())
        .isEqualTo("hello from the data commons");
  }

  /** The registry's rules still hold for the bucket a record names. */
  @Test
  void theRegistrysRulesApplyToTheBucketTheRecordNames() throws Exception {
    indexd.add("dg.TEST/suspended", List.of("s3://suspended/a.txt"), List.of(OPEN), List.of(),
        null);
    indexd.add("dg.TEST/unregistered", List.of("s3://not-ours/a.txt"), List.of(OPEN), List.of(),
        null);
    indexd.add("dg.TEST/wrong-kind", List.of("s3://gcs-xml/a.txt"), List.of(OPEN), List.of(),
        null);
    indexd.add("dg.TEST/dot-segment", List.of("s3://data/presign/../restricted/secret.txt"),
        List.of(OPEN), List.of(), null);
    indexd.add("dg.TEST/azure", List.of("az://account.blob.core.windows.net/c/a.txt"),
        List.of(OPEN), List.of(), null);

    assertThat(download("dg.TEST/suspended", "bob").statusCode()).isEqualTo(403);
    HttpResponse<String> unregistered = download("dg.TEST/unregistered", "bob");
    assertThat(unregistered.statusCode()).isEqualTo(404);
    assertThat(error(unregistered).path("message").asText()).contains("'not-ours'");
    HttpResponse<String> wrongKind = download("dg.TEST/wrong-kind", "bob");
    assertThat(wrongKind.statusCode()).isEqualTo(502);
    assertThat(error(wrongKind).path("message").asText())
        .contains("s3://gcs-xml/a.txt", "registered as gcp storage");
    HttpResponse<String> dotSegment = download("dg.TEST/dot-segment", "bob");
    assertThat(dotSegment.statusCode()).isEqualTo(502);
    assertThat(error(dotSegment).path("message").asText()).contains("'..'");
    assertThat(download("dg.TEST/azure", "bob").statusCode()).isEqualTo(501);
  }

  /** Without --data-upload-bucket, uploads name their bucket and key, and say so. */
  @Test
  void newFilesNeedTheUploadFlowConfigured() throws Exception {
    HttpResponse<String> created =
        client.api("POST", "/data/upload", "alice", "{\"file_name\": \"a.txt\"}");
    HttpResponse<String> started = client.api("POST", "/data/multipart/init", "alice",
        "{\"file_name\": \"a.txt\"}");
    HttpResponse<String> part = client.api("POST", "/data/multipart/upload", "alice",
        "{\"key\": \"a.txt\", \"uploadId\": \"u\", \"partNumber\": 1}");

    assertThat(created.statusCode()).isEqualTo(501);
    assertThat(error(created).path("message").asText())
        .contains("--data-upload-bucket", "/data/upload/<bucket>/<key>");
    assertThat(started.statusCode()).isEqualTo(501);
    assertThat(part.statusCode()).isEqualTo(400);
    assertThat(error(part).path("message").asText()).contains("\"bucket\"");
  }

  @Test
  void anIndexdThatCannotAnswerIsARetryNeverAUrl() throws Exception {
    indexd.add("dg.TEST/while-down", List.of(README), List.of(OPEN), List.of(), null);
    indexd.failWith(500);

    HttpResponse<String> answer = download("dg.TEST/while-down", "bob");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(error(answer).path("message").asText()).contains("indexd unavailable", "retry");
    assertThat(gateway.meters().scrape())
        .containsPattern("gateway_indexd_requests_seconds_count\\{call=\"lookup\","
            + "outcome=\"unavailable\",?\\} [1-9]");
  }

  @Test
  void aPathStartingWithAServedBucketStillNamesItsObjectWithoutAskingIndexd() throws Exception {
    int before = indexd.lookups();

    String url = field(download("data/presign/readme.txt", "bob"), "url");

    assertThat(get(url).body()).isEqualTo("hello from the data commons");
    assertThat(indexd.lookups()).isEqualTo(before);
  }

  @Test
  void whatIsNeitherAGuidNorAServedBucketsObjectIsRefusedUnasked() throws Exception {
    int before = indexd.lookups();

    HttpResponse<String> dots = download("dg.TEST/../data/presign/readme.txt", "bob");
    HttpResponse<String> escaped = download("dg.TEST%2F0a1b", "bob");

    assertThat(dots.statusCode()).isEqualTo(400);
    assertThat(error(dots).path("message").asText()).contains("neither a GUID");
    assertThat(escaped.statusCode()).isEqualTo(400);
    assertThat(indexd.lookups()).isEqualTo(before);
  }

  /**
   * Whoever may write a record chooses where it points: a bucket the operator did not list is
   * never signed for, the record's authz notwithstanding.
   */
  @Test
  void aRecordNamingABucketTheOperatorDidNotListGetsNoUrl() throws Exception {
    indexd.add("dg.TEST/elsewhere", List.of("s3://elsewhere/anything.txt"), List.of(OPEN),
        List.of("*"), null);

    HttpResponse<String> refused = download("dg.TEST/elsewhere", "alice");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(error(refused).path("message").asText())
        .contains("s3://elsewhere/anything.txt", "--indexd-buckets");
  }

  /** Uploads name their bucket, with indexd or without. */
  @Test
  void uploadsStillNameTheirBucket() throws Exception {
    HttpResponse<String> answer = client.api("GET", "/data/upload/dg.TEST/new-file", "alice",
        null);

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(error(answer).path("message").asText()).contains("'dg.TEST'");
  }
}
