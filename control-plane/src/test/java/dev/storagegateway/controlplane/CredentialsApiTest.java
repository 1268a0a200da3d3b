package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.AwsKeys;
import dev.storagegateway.credentials.AwsSettings;
import dev.storagegateway.credentials.CacheSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.credentials.CredentialsRuntime;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.ClusterSettings;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.MotoServer;
import dev.storagegateway.testpeers.S3ProxyServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The credential flows of the admin API against real peers: secrets written to the file backend
 * and to moto's Secrets Manager, keys proven against S3Proxy, and rotations reaching a
 * data-plane (lite) member's cache through the cluster.
 */
class CredentialsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STORAGE_KEY = "AKIASTORAGE00001";
  private static final String STORAGE_SECRET = "storage-secret";

  @TempDir
  static Path temp;
  private static MotoServer moto;
  private static S3ProxyServer storage;
  private static TestRegistryCluster cluster;
  private static AdminHttp http;
  private static String admin;
  /** The operator's own client, for keys that reach the backend outside the admin API. */
  private static SecretsManagerClient secretsManager;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    // The management plane's own AWS identity, from the default chain as IRSA would give it.
    System.setProperty("aws.accessKeyId", "AKIACONTROLPLANE1");
    System.setProperty("aws.secretAccessKey", "control-plane-secret");
    storage = S3ProxyServer.start(STORAGE_KEY, STORAGE_SECRET);
    try (S3Client s3 = S3Client.builder().endpointOverride(storage.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(STORAGE_KEY, STORAGE_SECRET))).build()) {
      for (String bucket : List.of("created", "validated", "rotated", "repointed", "drifting")) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    cluster = new TestRegistryCluster(temp.resolve("db"), 1, new BucketValidator(
        new EndpointPolicy(true, List.of("127.0.0.0/8"), TestRegistryCluster.RESOLVER), "file"),
        credentialsConfig());
    http = new AdminHttp(cluster.adminUrl(0));
    admin = cluster.token("admin");
    secretsManager = moto.secretsManager();
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    cluster.close();
    secretsManager.close();
    storage.close();
    moto.close();
  }

  private static CredentialsConfig credentialsConfig() {
    return new CredentialsConfig(SecretsBackend.FILE,
        Set.of(SecretsBackend.FILE, SecretsBackend.AWS_SECRETS_MANAGER),
        temp.resolve("secrets"), CacheSettings.DEFAULTS,
        new AwsSettings(Region.US_EAST_1, moto.endpoint(), moto.endpoint(),
            AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME), Map.of());
  }

  private static String bucketJson(String name, String extra) {
    return "{\"name\": \"" + name + "\", \"provider\": \"s3_compatible\", \"region\":"
        + " \"us-east-1\", \"endpoint\": \"" + storage.endpoint() + "\", \"auth_mode\":"
        + " \"static\", \"owner_project\": \"" + TestRegistryCluster.OWNER_PROJECT + "\""
        + extra + "}";
  }

  private static String keys(String id, String secret) {
    return "{\"access_key_id\": \"" + id + "\", \"secret_access_key\": \"" + secret + "\"}";
  }

  /** A new AWSCURRENT version of {@code name}, as whoever holds the keys rotates them. */
  private static void putVersion(String name, String id, String secret) {
    secretsManager.putSecretValue(b -> b.secretId(name).secretString(keys(id, secret)));
  }

  private static void create(String body) {
    AdminHttp.Response created = http.post("/admin/buckets", admin, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private static JsonNode step(JsonNode result, String name) {
    for (JsonNode step : result.get("steps")) {
      if (step.get("step").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no step '" + name + "' in " + result);
  }

  private static JsonNode json(AdminHttp.Response response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void createSecretStoresTheKeysInTheBackendAndKeepsOnlyTheReference() throws Exception {
    AdminHttp.Response created = http.post("/admin/buckets", admin, bucketJson("created",
        ", \"create_secret\": true, \"secret_payload\": " + keys(STORAGE_KEY, STORAGE_SECRET)));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("secret_ref").asText()).isEqualTo("buckets/created.json");
    assertThat(created.body()).doesNotContain(STORAGE_SECRET);
    assertThat(Files.readString(temp.resolve("secrets/buckets/created.json")))
        .contains(STORAGE_SECRET);
    assertThat(cluster.dumpAllRows()).doesNotContain(STORAGE_SECRET);
    assertThat(json(http.post("/admin/buckets/created/validate", admin, "{}"))
        .get("healthy").asBoolean()).isTrue();
  }

  @Test
  void badSecretPayloadsAreRefusedAndChangeNothing() throws Exception {
    long before = cluster.count("buckets");
    Map<String, String> attempts = Map.of(
        ", \"create_secret\": true", "create_secret needs secret_payload",
        ", \"create_secret\": true, \"secret_payload\": {\"access_key_id\": \"AKIAONLYID001\"}",
        "either access_key_id and secret_access_key",
        ", \"create_secret\": true, \"secret_payload\": {\"access_key_id\": \"A\","
            + " \"secret_access_key\": \"B\", \"password\": \"C\"}", "unknown field 'password'",
        ", \"create_secret\": true, \"secret_payload\": {\"access_key_id\": 7,"
            + " \"secret_access_key\": \"B\"}",
        "secret_payload field 'access_key_id' must be a string",
        ", \"create_secret\": \"yes\"", "create_secret must be true or false",
        ", \"secret_payload\": " + keys("A", "B"), "only accepted with create_secret: true",
        ", \"create_secret\": true, \"secret_version\": \"3\", \"secret_payload\": "
            + keys("A", "B"), "secret_version cannot be given",
        ", \"secrets_backend\": \"vault\", \"secret_ref\": \"secret/data/x\","
            + " \"create_secret\": true, \"secret_payload\": " + keys("A", "B"),
        "vault is not configured",
        ", \"create_secret\": true, \"secret_payload\": {\"service_account_key_json\": "
            + "\"{\\\"type\\\": \\\"authorized_user\\\"}\"}",
        "must be a service-account key file");
    for (Map.Entry<String, String> attempt : attempts.entrySet()) {
      AdminHttp.Response response = http.post("/admin/buckets", admin,
          bucketJson("refused", attempt.getKey()));
      assertThat(response.status()).as(attempt.getKey()).isEqualTo(400);
      assertThat(response.body()).as(attempt.getKey()).contains(attempt.getValue());
    }
    AdminHttp.Response publicWithKeys = http.post("/admin/buckets", admin, bucketJson("refused",
        ", \"create_secret\": true, \"secret_payload\": " + keys("A", "B"))
        .replace("\"auth_mode\": \"static\"", "\"auth_mode\": \"public\""));
    assertThat(publicWithKeys.status()).isEqualTo(400);
    assertThat(publicWithKeys.errorMessage()).isEqualTo("create_secret is for a bucket whose keys"
        + " the secrets backend keeps (auth_mode static, or role for the keys that assume it); a"
        + " public bucket has none");
    // A key pasted as a field's name is not echoed.
    AdminHttp.Response pasted = http.post("/admin/buckets", admin, bucketJson("refused",
        ", \"create_secret\": true, \"secret_payload\": {\"access_key_id\": \"A\","
            + " \"secret_access_key\": \"B\", \"AKIAIOSFODNN7PASTED\": \"x\"}"));
    assertThat(pasted.status()).isEqualTo(400);
    assertThat(pasted.body()).contains("an unknown field whose name is not shown")
        .doesNotContain("AKIAIOSFODNN7PASTED");
    // The SDKs' spelling of the two fields: one detail that says how to write them.
    AdminHttp.Response camelCase = http.post("/admin/buckets", admin, bucketJson("refused",
        ", \"create_secret\": true, \"secret_payload\": {\"accessKeyId\": \"A\","
            + " \"secretAccessKey\": \"B\"}"));
    assertThat(camelCase.status()).isEqualTo(400);
    assertThat(camelCase.json().path("error").path("details").findValuesAsText("message"))
        .containsExactly("secret_payload has 2 unknown fields whose name is not shown: field"
            + " names are lower case and '_' (access_key_id, not accessKeyId), and anything else"
            + " could be a key; known fields: access_key_id, ca_bundle_pem, client_cert_pem,"
            + " client_key_pem, secret_access_key, service_account_key_json, session_token",
            "secret_payload needs either access_key_id and secret_access_key, or"
            + " service_account_key_json");
    assertThat(cluster.count("buckets")).isEqualTo(before);
    assertThat(temp.resolve("secrets/buckets/refused.json")).doesNotExist();
  }

  @Test
  void createSecretForABucketThatExistsIsAConflictAndLeavesItsSecretAlone() throws Exception {
    create(bucketJson("kept", ", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAKEPT000001", "kept-secret")));

    AdminHttp.Response again = http.post("/admin/buckets", admin, bucketJson("kept",
        ", \"create_secret\": true, \"secret_payload\": " + keys("AKIAOTHER00001", "other")));

    assertThat(again.status()).isEqualTo(409);
    assertThat(Files.readString(temp.resolve("secrets/buckets/kept.json")))
        .contains("kept-secret").doesNotContain("other");
  }

  /**
   * The secret is written before the bucket's row is committed: a commit that failed left it
   * behind. The same request again registers the bucket with it; other keys stay refused.
   */
  @Test
  void aSecretLeftByAFailedAttemptIsTakenByItsRetryAndByNothingElse() throws Exception {
    Files.createDirectories(temp.resolve("secrets/buckets"));
    Files.writeString(temp.resolve("secrets/buckets/retried.json"),
        "{\"access_key_id\": \"AKIARETRY000001\", \"secret_access_key\": \"left-behind\"}");

    AdminHttp.Response other = http.post("/admin/buckets", admin, bucketJson("retried",
        ", \"create_secret\": true, \"secret_payload\": "
            + keys("AKIARETRY000001", "not-the-same")));
    assertThat(other.status()).as(other.body()).isEqualTo(409);
    assertThat(other.body()).doesNotContain("left-behind", "not-the-same");

    AdminHttp.Response retry = http.post("/admin/buckets", admin, bucketJson("retried",
        ", \"create_secret\": true, \"secret_payload\": "
            + keys("AKIARETRY000001", "left-behind")));
    assertThat(retry.status()).as(retry.body()).isEqualTo(201);
    assertThat(retry.json().path("secret_ref").asText()).isEqualTo("buckets/retried.json");
  }

  /** create_secret creates: naming another bucket's secret must not take it over. */
  @Test
  void createSecretNamingASecretThatIsThereIsAConflictAndChangesNothing() throws Exception {
    create(bucketJson("first-owner", ", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAFIRST000001", "first-secret")));
    long before = cluster.count("buckets");

    AdminHttp.Response taken = http.post("/admin/buckets", admin, bucketJson("taker",
        ", \"secret_ref\": \"buckets/first-owner.json\", \"create_secret\": true,"
            + " \"secret_payload\": " + keys("AKIATAKER000001", "taker-secret")));

    assertThat(taken.status()).as(taken.body()).isEqualTo(409);
    assertThat(taken.body()).contains("already has a secret 'buckets/first-owner.json'",
        "create_secret only creates secrets").doesNotContain("taker-secret");
    assertThat(Files.readString(temp.resolve("secrets/buckets/first-owner.json")))
        .contains("first-secret").doesNotContain("taker-secret");
    assertThat(cluster.count("buckets")).isEqualTo(before);
  }

  /**
   * A create whose answer was lost can leave a secret without a current version (Secret
   * Manager's create is two calls); the refusal says how to free the name.
   */
  @Test
  void createSecretNamingAnEmptySecretSaysToDeleteIt() {
    secretsManager.createSecret(b -> b.name("gen3/left-empty"));

    AdminHttp.Response refused = http.post("/admin/buckets", admin, bucketJson("left-empty",
        ", \"secrets_backend\": \"aws-secrets-manager\", \"secret_ref\": \"gen3/left-empty\","
            + " \"create_secret\": true, \"secret_payload\": "
            + keys("AKIAEMPTY000001", "empty-secret")));

    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("already has a secret 'gen3/left-empty', which holds no"
        + " current version", "delete it in the backend, then retry")
        .doesNotContain("empty-secret");
    assertThat(http.get("/admin/buckets/left-empty", admin).status()).isEqualTo(404);
  }

  /** Rules grow stricter; rows written before stay as they were until a change fixes them. */
  @Test
  void aBucketThatBreaksTodaysRulesIsReportedAndItsCredentialsGoNowhere() throws Exception {
    create(bucketJson("outgrown", ", \"create_secret\": true, \"secret_payload\": "
        + keys("AKIAOUTGROWN0001", "outgrown-secret")));
    cluster.execute("UPDATE buckets SET endpoint = 'http://10.255.0.10:9000'"
        + " WHERE name = 'outgrown'");

    JsonNode result = json(http.post("/admin/buckets/outgrown/validate", admin, ""));

    assertThat(result.get("healthy").asBoolean()).isFalse();
    assertThat(step(result, "rules").get("outcome").asText()).isEqualTo("failed");
    assertThat(step(result, "rules").get("detail").asText()).contains("endpoint");
    assertThat(step(result, "resolve").get("outcome").asText()).isEqualTo("skipped");
    assertThat(step(result, "access").get("outcome").asText()).isEqualTo("skipped");
    assertThat(result.toString()).doesNotContain("outgrown-secret");
  }

  /**
   * DNS that does not answer in time is not a broken rule: the check says it could not look,
   * and the credentials are not sent to a name whose addresses are not known.
   */
  @Test
  void anEndpointWhoseDnsDoesNotAnswerIsReportedAsNotCheckedNotAsBroken() throws Exception {
    create(bucketJson("unanswered", ", \"create_secret\": true, \"secret_payload\": "
        + keys("AKIAUNANSWERED01", "unanswered-secret")));
    cluster.execute("UPDATE buckets SET endpoint = 'https://s3"
        + TestRegistryCluster.UNANSWERED_ZONE + "' WHERE name = 'unanswered'");

    JsonNode result = json(http.post("/admin/buckets/unanswered/validate", admin, ""));

    assertThat(result.get("healthy").asBoolean()).isFalse();
    assertThat(step(result, "rules").get("outcome").asText()).isEqualTo("failed");
    assertThat(step(result, "rules").get("detail").asText())
        .startsWith("could not be checked now: endpoint host 's3"
            + TestRegistryCluster.UNANSWERED_ZONE + "' did not resolve within 2 s")
        .doesNotContain("breaks");
    assertThat(step(result, "resolve").get("outcome").asText()).isEqualTo("skipped");
    assertThat(step(result, "access").get("outcome").asText()).isEqualTo("skipped");
  }

  @Test
  void validateProvesTheKeysAgainstTheBucketAndReportsRefusalWithoutSecrets() throws Exception {
    create(bucketJson("validated", ", \"secrets_backend\":"
        + " \"aws-secrets-manager\", \"secret_ref\": \"gen3/validated\", \"create_secret\": true,"
        + " \"secret_payload\": " + keys(STORAGE_KEY, STORAGE_SECRET)));

    JsonNode healthy = json(http.post("/admin/buckets/validated/validate", admin, "{}"));
    assertThat(healthy.get("healthy").asBoolean()).as(healthy.toString()).isTrue();
    assertThat(healthy.toString()).contains("HeadBucket succeeded").contains("0001")
        .doesNotContain(STORAGE_KEY).doesNotContain(STORAGE_SECRET);
    assertThat(step(healthy, "resolve").get("detail").asText())
        .matches("resolved AWS keys \\.\\.\\.0001 from \\S*gen3/validated\\S*");

    putVersion("gen3/validated", STORAGE_KEY, "revoked-secret");
    JsonNode refused = json(http.post("/admin/buckets/validated/validate", admin, ""));
    assertThat(refused.get("healthy").asBoolean()).isFalse();
    assertThat(step(refused, "access").get("detail").asText())
        .contains("refused these credentials");
    assertThat(refused.toString()).doesNotContain("revoked-secret");

    assertThat(json(http.get("/admin/buckets/validated/credential-health", admin))
        .get("healthy").asBoolean()).isFalse();
    assertThat(http.get("/admin/credential-health", admin).body()).contains("\"validated\"");
    assertThat(new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null).body())
        .contains("gateway_bucket_credentials_healthy{bucket=\"validated\"} 0.0");
    // The gauges name buckets, and the admin port may face every administrator.
    assertThat(http.get("/metrics", null).status()).isEqualTo(404);

    // Suspended, the bucket leaves the drift check, and its failure leaves the gauges: it would
    // have kept StorageGatewayBucketCredentialsUnhealthy firing. A validate does not bring it back.
    assertThat(http.delete("/admin/buckets/validated", admin).status()).isEqualTo(200);
    awaitMetricsWithout("bucket=\"validated\"");
    assertThat(json(http.post("/admin/buckets/validated/validate", admin, "")).get("healthy")
        .asBoolean()).isFalse();
    assertThat(new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null).body())
        .doesNotContain("bucket=\"validated\"");
  }

  private void awaitMetricsWithout(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null).body().contains(text)) {
      assertThat(System.nanoTime()).as("metrics without %s", text).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void rotateMakesADataPlaneReplicaUseTheNewVersionOnItsNextRequest() throws Exception {
    create(bucketJson("rotated", ", \"secrets_backend\":"
        + " \"aws-secrets-manager\", \"secret_ref\": \"gen3/rotated\", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAROTATEOLD01", "old")));
    try (DataPlaneReplica dataPlane = new DataPlaneReplica()) {
      assertThat(dataPlane.keyIdOf("rotated")).isEqualTo("AKIAROTATEOLD01");
      putVersion("gen3/rotated", "AKIAROTATENEW02", "new");
      assertThat(dataPlane.keyIdOf("rotated")).as("cached until told").isEqualTo(
          "AKIAROTATEOLD01");

      AdminHttp.Response rotate = http.post("/admin/buckets/rotated/rotate", admin, "");

      assertThat(rotate.status()).isEqualTo(202);
      assertThat(json(rotate).get("invalidated").toString())
          .contains("aws-secrets-manager:gen3/rotated");
      dataPlane.awaitKeyId("rotated", "AKIAROTATENEW02");
      assertThat(cluster.queryLong("SELECT count(*) FROM audit_events WHERE action ="
          + " 'bucket.rotate_credentials' AND bucket_name = 'rotated'")).isEqualTo(1);

      // Every rotate makes every replica read the source again; sources are shared.
      AdminHttp.Response again = http.post("/admin/buckets/rotated/rotate", admin, "");
      assertThat(again.status()).as(again.body()).isEqualTo(429);
      assertThat(again.raw().headers().firstValue("Retry-After").map(Integer::parseInt))
          .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1, 10));
      assertThat(again.errorMessage()).contains("rotated moments ago");
      assertThat(cluster.queryLong("SELECT count(*) FROM audit_events WHERE action ="
          + " 'bucket.rotate_credentials' AND bucket_name = 'rotated'")).isEqualTo(1);
    }
  }

  /** PostgreSQL refusing the audit row stands for a database that is away. */
  @Test
  void aRotationThatCannotBeAuditedDropsNothingAndMayBeRetriedAtOnce() throws Exception {
    create(bucketJson("rotated-unaudited", ", \"secrets_backend\": \"aws-secrets-manager\","
        + " \"secret_ref\": \"gen3/rotated-unaudited\", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAUNAUDITED01", "old")));
    try (DataPlaneReplica dataPlane = new DataPlaneReplica()) {
      assertThat(dataPlane.keyIdOf("rotated-unaudited")).isEqualTo("AKIAUNAUDITED01");
      putVersion("gen3/rotated-unaudited", "AKIAUNAUDITED02", "new");
      cluster.execute("CREATE FUNCTION refuse_audit() RETURNS trigger AS"
          + " 'BEGIN RAISE EXCEPTION ''audit refused''; END' LANGUAGE plpgsql");
      cluster.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW"
          + " WHEN (NEW.bucket_name = 'rotated-unaudited') EXECUTE FUNCTION refuse_audit()");
      AdminHttp.Response refused;
      try {
        refused = http.post("/admin/buckets/rotated-unaudited/rotate", admin, "");
      } finally {
        cluster.execute("DROP TRIGGER refuse_audit ON audit_events");
        cluster.execute("DROP FUNCTION refuse_audit()");
      }

      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      // A published invalidation reaches the member within milliseconds.
      Thread.sleep(500);
      assertThat(dataPlane.keyIdOf("rotated-unaudited")).as("not dropped")
          .isEqualTo("AKIAUNAUDITED01");
      AdminHttp.Response retried =
          http.post("/admin/buckets/rotated-unaudited/rotate", admin, "");
      assertThat(retried.status()).as(retried.body()).isEqualTo(202);
      dataPlane.awaitKeyId("rotated-unaudited", "AKIAUNAUDITED02");
      assertThat(cluster.queryLong("SELECT count(*) FROM audit_events WHERE action ="
          + " 'bucket.rotate_credentials' AND bucket_name = 'rotated-unaudited'")).isEqualTo(1);
    }
  }

  /** Each rotate would write an audit row, and a public bucket has nothing to drop. */
  @Test
  void rotatingAPublicBucketIsAConflictAndAuditsNothing() {
    create(bucketJson("public-rotated", "").replace("\"static\"", "\"public\""));

    AdminHttp.Response rotate = http.post("/admin/buckets/public-rotated/rotate",
        cluster.token("owner"), "");

    assertThat(rotate.status()).as(rotate.body()).isEqualTo(409);
    assertThat(rotate.errorMessage()).isEqualTo("bucket 'public-rotated' is public: it has no"
        + " credentials to rotate; nothing was changed");
    assertThat(cluster.queryLong("SELECT count(*) FROM audit_events WHERE action ="
        + " 'bucket.rotate_credentials' AND bucket_name = 'public-rotated'")).isZero();
  }

  /** Each validate reads the source again, and sources are shared: owners are spaced. */
  @Test
  void aProjectOwnerValidatesASourceOncePerPeriodARegistryAdminAtWill() throws Exception {
    create(bucketJson("checked-often", ", \"create_secret\": true, \"secret_payload\": "
        + keys(STORAGE_KEY, STORAGE_SECRET)));
    String owner = cluster.token("owner");
    String path = "/admin/buckets/checked-often/validate";

    assertThat(http.post(path, owner, "").status()).isEqualTo(200);
    AdminHttp.Response again = http.post(path, owner, "");
    assertThat(again.status()).as(again.body()).isEqualTo(429);
    assertThat(again.raw().headers().firstValue("Retry-After").map(Integer::parseInt))
        .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1, 10));
    assertThat(again.errorMessage()).contains("validated moments ago", "credential-health");
    assertThat(http.post(path, admin, "").status()).isEqualTo(200);

    // A public bucket has no source to space by; each validate still probes the storage.
    create(bucketJson("public-checked", "").replace("\"static\"", "\"public\""));
    String publicPath = "/admin/buckets/public-checked/validate";
    assertThat(http.post(publicPath, owner, "").status()).isEqualTo(200);
    assertThat(http.post(publicPath, owner, "").status()).isEqualTo(429);
  }

  @Test
  void patchingTheSecretReferenceDropsCachedCredentialsOfBothReferences() throws Exception {
    create(bucketJson("repointed", ", \"secrets_backend\":"
        + " \"aws-secrets-manager\", \"secret_ref\": \"gen3/repointed-a\", \"create_secret\":"
        + " true, \"secret_payload\": " + keys("AKIAREPOINTA01", "a")));
    secretsManager.createSecret(b -> b.name("gen3/repointed-b").secretString(
        keys("AKIAREPOINTB01", "b")));
    try (DataPlaneReplica dataPlane = new DataPlaneReplica()) {
      assertThat(dataPlane.keyIdOf("repointed")).isEqualTo("AKIAREPOINTA01");

      http.patch("/admin/buckets/repointed", admin, "{\"secret_ref\": \"gen3/repointed-b\"}");
      dataPlane.awaitKeyId("repointed", "AKIAREPOINTB01");
      putVersion("gen3/repointed-a", "AKIAREPOINTA02", "a2");
      http.patch("/admin/buckets/repointed", admin, "{\"secret_ref\": \"gen3/repointed-a\"}");

      dataPlane.awaitKeyId("repointed", "AKIAREPOINTA02");
    }
  }

  @Test
  void theDriftCheckRecordsTheHealthOfEveryActiveBucket() throws Exception {
    create(bucketJson("drifting", ", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAWRONGKEY001", "wrong")));

    int failed = cluster.replica(0).driftCheck().run();

    assertThat(failed).isGreaterThanOrEqualTo(1);
    JsonNode drifting = json(http.get("/admin/buckets/drifting/credential-health", admin));
    assertThat(drifting.get("healthy").asBoolean()).isFalse();
    assertThat(step(drifting, "access").get("detail").asText()).contains("refused");
  }

  /** As a Fence migration registers it: suspended until its secret exists. */
  @Test
  void rotatingABucketThatHasNoSecretYetIsAConflictNotAnError() throws Exception {
    create(bucketJson("waiting", ", \"status\": \"suspended\""));

    AdminHttp.Response rotate = http.post("/admin/buckets/waiting/rotate", admin, "");

    assertThat(rotate.status()).as(rotate.body()).isEqualTo(409);
    assertThat(rotate.body()).contains("names no secret_ref", "no credentials to rotate yet");

    create("{\"name\": \"waiting-gcs\", \"provider\": \"gcp\", \"auth_mode\":"
        + " \"workload_identity\", \"status\": \"suspended\", \"owner_project\": \""
        + TestRegistryCluster.OWNER_PROJECT + "\"}");
    AdminHttp.Response gcs = http.post("/admin/buckets/waiting-gcs/rotate", admin, "");
    assertThat(gcs.status()).as(gcs.body()).isEqualTo(409);
    assertThat(gcs.body()).contains("names no gcp_service_account");
  }

  @Test
  void credentialActionsNeedTheRightToManageTheBucket() {
    create(bucketJson("guarded", ", \"create_secret\": true,"
        + " \"secret_payload\": " + keys("AKIAGUARDED001", "g")));

    assertThat(http.post("/admin/buckets/guarded/rotate", cluster.token("reader"), "").status())
        .isEqualTo(403);
    assertThat(http.post("/admin/buckets/guarded/validate", null, "").status()).isEqualTo(401);
    AdminHttp.Response get = http.get("/admin/buckets/guarded/rotate", admin);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(http.post("/admin/buckets/absent/rotate", admin, "").status()).isEqualTo(404);
    assertThat(http.get("/admin/credential-health", cluster.token("reader")).status())
        .isEqualTo(403);
  }

  /** A data-plane process: a lite member with its own credentials layer. */
  private static final class DataPlaneReplica implements AutoCloseable {
    private final HazelcastInstance member;
    private final CredentialsRuntime credentials;

    DataPlaneReplica() {
      List<String> members = cluster.memberAddresses();
      member = RegistryCluster.start(new ClusterSettings(cluster.clusterName(), "127.0.0.1",
          5990, members, null, true), null, cluster.registryKeys.trust());
      credentials = CredentialsRuntime.open(credentialsConfig(), new SimpleMeterRegistry(),
          Duration.ZERO);
      credentials.joinInvalidations(member);
    }

    String keyIdOf(String bucketName) {
      Bucket bucket = RegistryCluster.buckets(member).get(bucketName)
          .readWith(cluster.registryKeys.trust()).orElseThrow();
      return ((AwsKeys) credentials.provider().credentialsFor(bucket,
          new AccessPurpose("test", "s3-request"))).accessKeyId();
    }

    void awaitKeyId(String bucketName, String expected) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!keyIdOf(bucketName).equals(expected) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(keyIdOf(bucketName)).isEqualTo(expected);
    }

    @Override
    public void close() {
      member.shutdown();
      credentials.close();
    }
  }
}
