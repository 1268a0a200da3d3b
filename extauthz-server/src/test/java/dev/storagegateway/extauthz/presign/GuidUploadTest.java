package dev.storagegateway.extauthz.presign;

import static dev.storagegateway.extauthz.presign.PresignApiClient.error;
import static dev.storagegateway.extauthz.presign.PresignApiClient.field;
import static dev.storagegateway.extauthz.presign.PresignApiClient.get;
import static dev.storagegateway.extauthz.presign.PresignApiClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storagegateway.extauthz.DataPlaneSettings;
import dev.storagegateway.extauthz.GatewayFixture;
import dev.storagegateway.extauthz.indexd.DataUploads;
import dev.storagegateway.extauthz.indexd.IndexdCredentials;
import dev.storagegateway.extauthz.indexd.IndexdSettings;
import dev.storagegateway.extauthz.indexd.UploadBuckets;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Operation;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.secrets.file.FileSecretStore;
import dev.storagegateway.testpeers.IndexdStandIn;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fence's upload flow, as gen3-client and the data portal drive it: a new file gets a blank
 * indexd record and a URL for {@code <guid>/<file name>} in the upload bucket, the object is sent
 * to S3Proxy (which verifies the signature), and once indexd's indexing job has recorded where it
 * landed, the file downloads by its GUID. indexd is the stand-in that follows its contract.
 */
class GuidUploadTest {
  private static final String UPLOADS = "data-twin";
  private static final String CONTENT = "a file uploaded by GUID";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path folder;

  private static IndexdStandIn indexd;
  private static FileSecretStore indexdSecrets;
  private static GatewayFixture gateway;
  private static PresignApiClient client;

  @BeforeAll
  static void start() throws IOException {
    indexd = IndexdStandIn.start();
    indexdSecrets = FileSecretStore.open(Files.createDirectories(folder.resolve("indexd")));
    gateway = startWithUploads(folder, indexd, indexdSecrets);
    client = new PresignApiClient(gateway);
  }

  /**
   * A data plane whose new files go to {@value #UPLOADS}, or when asked to {@code data}, the
   * public {@code public-drop}, {@code single-puts} (no multipart) or {@code unbilled} (a
   * requester-pays Cloud Storage bucket that names no project to bill), with {@code indexd}'s
   * password in {@code secrets}.
   */
  static GatewayFixture startWithUploads(Path folder, IndexdStandIn indexd,
      FileSecretStore secrets) throws IOException {
    writeIndexdSecret(secrets, IndexdStandIn.PASSWORD);
    Set<String> allowed = Set.of("data", "public-drop", "single-puts", "unbilled");
    DataUploads uploads = new DataUploads(new UploadBuckets(UPLOADS, allowed),
        new IndexdCredentials(secrets, "indexd.json").requireReadable());
    Set<String> named = new HashSet<>(allowed);
    named.add(UPLOADS);
    GatewayFixture started = GatewayFixture.start(folder, DataPlaneSettings.loopback()
        .withIndexd(new IndexdSettings(indexd.url(), named, Optional.of(uploads))));
    started.put(started.bucket("public-drop", "gateway.json", GatewayFixture.PROJECT)
        .authMode(AuthMode.PUBLIC).build());
    started.put(started.bucket("single-puts", "gateway.json", GatewayFixture.PROJECT)
        .allowedOps(EnumSet.of(Operation.READ, Operation.LIST, Operation.WRITE)).build());
    started.put(started.bucket("unbilled", "gcs-hmac.json", GatewayFixture.PROJECT)
        .provider(Provider.GCP).region("us-east1").requesterPays(true).build());
    return started;
  }

  @AfterEach
  void answerNormally() {
    indexd.failWith(0);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    gateway.close();
    indexdSecrets.close();
    indexd.close();
  }

  static void writeIndexdSecret(FileSecretStore secrets, String password) throws IOException {
    Files.writeString(secrets.folder().resolve("indexd.json"), "{\"username\": \""
        + IndexdStandIn.USERNAME + "\", \"password\": \"" + password + "\"}");
  }

  static HttpResponse<String> newFile(PresignApiClient client, String user, String body)
      throws Exception {
    return client.api("POST", "/data/upload", user, body);
  }

  private static HttpResponse<String> newFile(String user, String body) throws Exception {
    return client.api("POST", "/data/upload", user, body);
  }

  static String body(Object... fieldsAndValues) {
    ObjectNode body = JSON.createObjectNode();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      body.set((String) fieldsAndValues[i], JSON.valueToTree(fieldsAndValues[i + 1]));
    }
    return body.toString();
  }

  private static String uploadedObject(String bucket, String key) {
    try (var s3 = gateway.directClient()) {
      return s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asUtf8String();
    }
  }

  @Test
  void aNewFileGetsARecordAndAUrlThatTheStorageAcceptsThenDownloadsByItsGuid() throws Exception {
    HttpResponse<String> created =
        newFile("alice", body("file_name", "notes.txt", "expires_in", 600));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(field(created, "url")).contains("X-Amz-Expires=600");
    String guid = field(created, "guid");
    String url = field(created, "url");
    assertThat(guid).startsWith(IndexdStandIn.PREFIX);
    assertThat(url).startsWith(gateway.s3proxyEndpoint() + "/" + UPLOADS + "/" + guid
        + "/notes.txt?").contains("X-Amz-Signature=");
    JsonNode record = indexd.record(guid);
    assertThat(record.get("uploader").asText()).isEqualTo("alice");
    assertThat(record.get("file_name").asText()).isEqualTo("notes.txt");
    assertThat(indexd.creationAuthorizations()).last().asString().startsWith("Basic ");

    HttpResponse<String> sent = put(url, CONTENT.getBytes(StandardCharsets.UTF_8));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    assertThat(uploadedObject(UPLOADS, guid + "/notes.txt")).isEqualTo(CONTENT);

    indexd.setLocation(guid, "s3://" + UPLOADS + "/" + guid + "/notes.txt");
    String download = field(client.api("GET", "/data/download/" + guid, "alice", null), "url");
    assertThat(get(download).body()).isEqualTo(CONTENT);
    assertThat(client.api("GET", "/data/download/" + guid, "bob", null).statusCode())
        .as("a file without authz is its uploader's alone").isEqualTo(403);
  }

  /** Fence's rule: file_upload on /data_file, and a user, before anything is created. */
  @Test
  void newFilesNeedFileUploadOnDataFileAndAToken() throws Exception {
    int creations = indexd.creationAuthorizations().size();

    HttpResponse<String> bob = newFile("bob", body("file_name", "notes.txt"));
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(error(bob).path("message").asText())
        .contains("user 'bob' may not file_upload", "/data_file");
    HttpResponse<String> anonymous = newFile(null, body("file_name", "notes.txt"));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(error(anonymous).path("message").asText()).contains("Authorization: Bearer");

    assertThat(indexd.creationAuthorizations()).hasSize(creations);
  }

  /**
   * With authz, Fence asks create and write-storage on each resource and lets indexd check the
   * caller's own token; the file is then anyone's whom its authz allows.
   */
  @Test
  void withAuthzTheCallerNeedsCreateAndWriteThereAndIndexdGetsTheirToken() throws Exception {
    HttpResponse<String> created = newFile("alice",
        body("file_name", "shared.txt", "authz", List.of(GatewayFixture.PROJECT)));

    String guid = field(created, "guid");
    assertThat(indexd.record(guid).get("authz").get(0).asText()).isEqualTo(GatewayFixture.PROJECT);
    assertThat(indexd.record(guid).get("uploader").isNull())
        .as("a file with authz is its authz's, as Fence creates it").isTrue();
    assertThat(indexd.creationAuthorizations()).last().asString().startsWith("Bearer ey");
    put(field(created, "url"), CONTENT.getBytes(StandardCharsets.UTF_8));
    indexd.setLocation(guid, "s3://" + UPLOADS + "/" + guid + "/shared.txt");
    assertThat(get(field(client.api("GET", "/data/download/" + guid, "bob", null), "url"))
        .body()).isEqualTo(CONTENT);

    HttpResponse<String> carol = newFile("carol",
        body("file_name", "shared.txt", "authz", List.of(GatewayFixture.PROJECT)));
    assertThat(carol.statusCode()).isEqualTo(403);
    assertThat(error(carol).path("message").asText())
        .contains("user 'carol' may not create", GatewayFixture.PROJECT);
  }

  @Test
  void aFilesUploaderMayUploadToItAgainByGuid() throws Exception {
    String guid = field(newFile("carol", body("file_name", "draft.txt")), "guid");

    String named = field(client.api("GET", "/data/upload/" + guid + "?file_name=final.txt",
        "carol", null), "url");
    assertThat(named).startsWith(gateway.s3proxyEndpoint() + "/" + UPLOADS + "/" + guid
        + "/final.txt?");
    assertThat(put(named, CONTENT.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    assertThat(field(client.api("GET", "/data/upload/" + guid, "carol", null), "url"))
        .as("without file_name, the record's").contains("/" + guid + "/draft.txt?");

    HttpResponse<String> alice = client.api("GET", "/data/upload/" + guid, "alice", null);
    assertThat(alice.statusCode()).isEqualTo(403);
    assertThat(error(alice).path("message").asText()).contains("only the user who uploaded it");
    assertThat(client.api("GET", "/data/upload/" + guid, null, null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void filesWithAuthzTakeUploadsFromWritersAndPublicFilesNone() throws Exception {
    indexd.add("dg.TEST/project-file", List.of(), List.of(GatewayFixture.PROJECT), List.of(),
        null);
    indexd.add("dg.TEST/public-file", List.of(), List.of(), List.of("*"), null);

    assertThat(field(client.api("GET", "/data/upload/dg.TEST/project-file", "alice", null),
        "url")).contains("/" + UPLOADS + "/dg.TEST/project-file/readme.txt?");
    HttpResponse<String> bob = client.api("GET", "/data/upload/dg.TEST/project-file", "bob",
        null);
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(error(bob).path("message").asText()).contains("may not write-storage");
    HttpResponse<String> open = client.api("GET", "/data/upload/dg.TEST/public-file", "alice",
        null);
    assertThat(open.statusCode()).isEqualTo(403);
    assertThat(error(open).path("message").asText()).contains("public files take no uploads");
  }

  @Test
  void aNewFilesMultipartUploadNamesItsKeyAndLeavesOutTheBucketAsFencesClientsDo()
      throws Exception {
    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "alice",
        body("file_name", "big.bin"));
    assertThat(init.statusCode()).as(init.body()).isEqualTo(201);
    String guid = field(init, "guid");
    String uploadId = field(init, "uploadId");
    String key = guid + "/big.bin";
    assertThat(indexd.record(guid).get("uploader").asText()).isEqualTo("alice");

    String partUrl = field(client.api("POST", "/data/multipart/upload", "alice",
        body("key", key, "uploadId", uploadId, "partNumber", 1)), "presigned_url");
    assertThat(partUrl).startsWith(gateway.s3proxyEndpoint() + "/" + UPLOADS + "/" + key);
    HttpResponse<String> sent = put(partUrl, CONTENT.getBytes(StandardCharsets.UTF_8));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    ObjectNode complete = (ObjectNode) JSON.readTree(body("key", key, "uploadId", uploadId));
    complete.putArray("parts").addObject().put("PartNumber", 1)
        .put("ETag", sent.headers().firstValue("etag").orElseThrow());
    HttpResponse<String> done =
        client.api("POST", "/data/multipart/complete", "alice", complete.toString());

    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(uploadedObject(UPLOADS, key)).isEqualTo(CONTENT);
    HttpResponse<String> bob = client.api("POST", "/data/multipart/upload", "bob",
        body("key", key, "uploadId", uploadId, "partNumber", 2));
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(error(bob).path("message").asText()).contains("file_upload", "/data_file");
  }

  /** Bad input gets a 4xx that says what to change, and indexd gets no record. */
  @Test
  void refusedRequestsCreateNoRecord() throws Exception {
    int creations = indexd.creationAuthorizations().size();
    List<HttpResponse<String>> refused = new ArrayList<>();

    refused.add(newFile("alice", body("file_name", "../escape.txt")));
    refused.add(newFile("alice", body("guid", "dg.TEST/mine", "file_name", "a.txt")));
    refused.add(newFile("alice", body("file_name", "a.txt", "bucket", "elsewhere")));
    refused.add(newFile("alice", body("file_name", "a.txt", "authz", "not-a-list")));
    refused.add(newFile("alice", body("name", "a.txt")));
    refused.add(client.api("POST", "/data/multipart/init", "alice",
        body("file_name", "a.txt", "bucket", "data", "key", "a.txt")));
    refused.add(client.api("POST", "/data/multipart/init", "alice",
        body("file_name", "a.txt", "authz", List.of(GatewayFixture.PROJECT))));
    refused.add(newFile("alice", body("file_name", "a.txt", "authz", List.of("programs/x"))));
    refused.add(newFile("alice", body("file_name", "a.txt", "bucket", "public-drop")));
    refused.add(newFile("bob", body("file_name", "a.txt", "bucket", "public-drop")));
    refused.add(client.api("POST", "/data/multipart/init", "alice",
        body("file_name", "a.txt", "bucket", "single-puts")));
    refused.add(newFile("alice", body("file_name", "a.txt", "bucket", "unbilled")));

    assertThat(refused).extracting(HttpResponse::statusCode)
        .containsExactly(400, 400, 403, 400, 400, 400, 400, 400, 501, 403, 403, 500);
    assertThat(error(refused.get(1)).path("message").asText())
        .contains("GET /data/upload/<guid>?file_name=");
    assertThat(error(refused.get(2)).path("message").asText())
        .contains("'elsewhere'", "--allowed-data-upload-buckets");
    assertThat(error(refused.get(4)).path("message").asText()).contains("\"file_name\"");
    assertThat(error(refused.get(6)).path("message").asText()).contains("takes no \"authz\"");
    assertThat(error(refused.get(8)).path("message").asText()).contains("is public");
    assertThat(error(refused.get(9)).path("message").asText())
        .as("the caller is refused before the bucket is looked at").contains("file_upload");
    assertThat(error(refused.get(10)).path("message").asText()).contains("multipart");
    assertThat(error(refused.get(11)).path("message").asText()).contains("project to bill");
    assertThat(indexd.creationAuthorizations()).hasSize(creations);
  }

  /**
   * A bucket the operator allows new files in takes them when asked for, from whoever may
   * upload new files, as Fence's ALLOWED_DATA_UPLOAD_BUCKETS: carol may not write data's root.
   */
  @Test
  void anAllowedUploadBucketMayBeAskedFor() throws Exception {
    HttpResponse<String> created = newFile("carol", body("file_name", "here.txt",
        "bucket", "data"));

    String guid = field(created, "guid");
    assertThat(put(field(created, "url"), CONTENT.getBytes(StandardCharsets.UTF_8))
        .statusCode()).isEqualTo(200);
    assertThat(uploadedObject("data", guid + "/here.txt")).isEqualTo(CONTENT);
    assertThat(field(client.api("GET", "/data/upload/" + guid + "?bucket=data", "carol",
        null), "url")).startsWith(gateway.s3proxyEndpoint() + "/data/" + guid + "/here.txt?");
    assertThat(client.api("GET", "/data/upload/" + guid + "?bucket=public-drop", "carol", null)
        .statusCode()).as("no credentials to sign with").isEqualTo(501);
  }

  /**
   * gen3-client sends the bucket in every multipart call: in a bucket new files may go to,
   * file_upload is enough for the parts, as in Fence; elsewhere the binding decides.
   */
  @Test
  void aNewFilesMultipartUploadThatNamesItsBucketIsAuthorizedAsANewFile() throws Exception {
    HttpResponse<String> init = client.api("POST", "/data/multipart/init", "carol",
        body("file_name", "named.bin", "bucket", "data"));
    String key = field(init, "guid") + "/named.bin";
    String uploadId = field(init, "uploadId");

    String partUrl = field(client.api("POST", "/data/multipart/upload", "carol",
        body("bucket", "data", "key", key, "uploadId", uploadId, "partNumber", 1)),
        "presigned_url");
    HttpResponse<String> sent = put(partUrl, CONTENT.getBytes(StandardCharsets.UTF_8));
    ObjectNode complete = (ObjectNode) JSON.readTree(body("bucket", "data", "key", key,
        "uploadId", uploadId));
    complete.putArray("parts").addObject().put("PartNumber", 1)
        .put("ETag", sent.headers().firstValue("etag").orElseThrow());

    assertThat(client.api("POST", "/data/multipart/complete", "carol", complete.toString())
        .statusCode()).isEqualTo(200);
    assertThat(uploadedObject("data", key)).isEqualTo(CONTENT);
    HttpResponse<String> bob = client.api("POST", "/data/multipart/upload", "bob",
        body("bucket", "data", "key", key, "uploadId", uploadId, "partNumber", 2));
    assertThat(bob.statusCode()).as("no file_upload, no write on the binding").isEqualTo(403);
  }

  /** indexd refusing the caller's own token, or the authz they asked for, is theirs to fix. */
  @Test
  void indexdRefusingTheCallersOwnTokenIsTheCallersRefusal() throws Exception {
    try {
      indexd.refuseCreationsUnder(GatewayFixture.PROJECT, 403);
      HttpResponse<String> forbidden = newFile("alice",
          body("file_name", "a.txt", "authz", List.of(GatewayFixture.PROJECT)));
      indexd.refuseCreationsUnder(GatewayFixture.PROJECT, 400);
      HttpResponse<String> malformed = newFile("alice",
          body("file_name", "a.txt", "authz", List.of(GatewayFixture.PROJECT)));
      indexd.refuseCreationsUnder(GatewayFixture.PROJECT, 404);
      HttpResponse<String> notServed = newFile("alice",
          body("file_name", "a.txt", "authz", List.of(GatewayFixture.PROJECT)));

      assertThat(forbidden.statusCode()).isEqualTo(403);
      assertThat(malformed.statusCode()).isEqualTo(400);
      assertThat(error(malformed).path("message").asText()).contains("indexd refused")
          .doesNotContain("--indexd-credentials-secret");
      assertThat(notServed.statusCode()).as("indexd's, not the caller's").isEqualTo(502);
      assertThat(error(notServed).path("message").asText())
          .doesNotContain("--indexd-credentials-secret");
    } finally {
      indexd.refuseCreationsUnder(GatewayFixture.PROJECT, 0);
    }
  }

  /**
   * indexd down is a 503 to retry; indexd refusing the gateway's credentials a 502. A refusal
   * has the secret read again, so a password rotated as the docs say, in the secret first,
   * is taken up at once.
   */
  @Test
  void indexdDownOrRefusingTheGatewaysCredentials() throws Exception {
    indexd.failWith(503);
    HttpResponse<String> down = newFile("alice", body("file_name", "a.txt"));
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(error(down).path("message").asText()).contains("indexd unavailable", "retry");
    indexd.failWith(0);

    writeIndexdSecret(indexdSecrets, "rotated-indexd-password");
    indexd.acceptOnly(IndexdStandIn.USERNAME, "rotated-indexd-password");
    assertThat(newFile("alice", body("file_name", "a.txt")).statusCode()).isEqualTo(201);

    try {
      indexd.acceptOnly(IndexdStandIn.USERNAME, "a-password-the-gateway-was-not-told");
      HttpResponse<String> refused = newFile("alice", body("file_name", "a.txt"));
      assertThat(refused.statusCode()).isEqualTo(502);
      assertThat(error(refused).path("message").asText())
          .contains("--indexd-credentials-secret")
          .doesNotContain("rotated-indexd-password");
    } finally {
      indexd.acceptOnly(IndexdStandIn.USERNAME, "rotated-indexd-password");
    }
    assertThat(newFile("alice", body("file_name", "a.txt")).statusCode())
        .as("the password in hand still works").isEqualTo(201);
  }
}
