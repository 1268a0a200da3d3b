package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two control planes, as the chart runs them, behind one load balancer: a validate through
 * either is what both answer and export, so fixing a key and validating it clears
 * StorageGatewayBucketCredentialsUnhealthy (the worst replica's gauge) at once; and only one of
 * them runs the scheduled drift check, which reads every secret and probes every bucket.
 */
class SharedCredentialHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_ID = "AKIASHAREDHEALTH";
  private static final String SECRET = "shared-health-secret";

  @TempDir
  static Path temp;
  private static S3ProxyServer storage;
  private static TestRegistryCluster cluster;
  private static String admin;

  @BeforeAll
  static void start() {
    storage = S3ProxyServer.start(KEY_ID, SECRET);
    try (S3Client s3 = S3Client.builder().endpointOverride(storage.endpoint())
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(KEY_ID, SECRET))).build()) {
      for (String bucket : List.of("fixed", "drifted", "shares-a", "shares-b", "shares-c")) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    cluster = new TestRegistryCluster(temp.resolve("db"), 2, new BucketValidator(
        new EndpointPolicy(true, List.of("127.0.0.0/8"), TestRegistryCluster.RESOLVER), "file"),
        CredentialsConfig.fromEnvironment(SecretsBackend.FILE, temp.resolve("secrets"),
            Map.of()));
    admin = cluster.token("admin");
  }

  @AfterAll
  static void stop() {
    cluster.close();
    storage.close();
  }

  private static AdminHttp admin(int replica) {
    return new AdminHttp(cluster.adminUrl(replica));
  }

  private static void create(String name) {
    AdminHttp.Response created = admin(0).post("/admin/buckets", admin, "{\"name\": \"" + name
        + "\", \"provider\": \"s3_compatible\", \"region\": \"us-east-1\", \"endpoint\": \""
        + storage.endpoint() + "\", \"auth_mode\": \"static\", \"create_secret\": true,"
        + " \"secret_payload\": {\"access_key_id\": \"" + KEY_ID + "\","
        + " \"secret_access_key\": \"" + SECRET + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private static JsonNode validate(int replica, String bucket) throws Exception {
    AdminHttp.Response validated =
        admin(replica).post("/admin/buckets/" + bucket + "/validate", admin, "");
    assertThat(validated.status()).as(validated.body()).isEqualTo(200);
    return JSON.readTree(validated.body());
  }

  private static AdminHttp.Response health(int replica, String bucket) {
    return admin(replica).get("/admin/buckets/" + bucket + "/credential-health", admin);
  }

  private static String metrics(int replica) {
    return new AdminHttp(cluster.metricsUrl(replica)).get("/metrics", null).body();
  }

  private static void awaitMetrics(int replica, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!metrics(replica).contains(text)) {
      assertThat(System.nanoTime()).as("replica %d's metrics with %s", replica, text)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void aValidateThroughEitherReplicaIsWhatBothAnswerAndExport() throws Exception {
    create("fixed");
    storage.revokeKey(KEY_ID);

    assertThat(validate(0, "fixed").get("healthy").asBoolean()).isFalse();

    awaitMetrics(1, "gateway_bucket_credentials_healthy{bucket=\"fixed\"} 0.0");
    AdminHttp.Response failed = health(1, "fixed");
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);
    assertThat(JSON.readTree(failed.body()).get("healthy").asBoolean()).isFalse();

    // The operator fixes the key and validates; the load balancer picks the other replica.
    storage.addKey(KEY_ID, SECRET);
    JsonNode passed = validate(1, "fixed");
    assertThat(passed.get("healthy").asBoolean()).as(passed.toString()).isTrue();

    awaitMetrics(0, "gateway_bucket_credentials_healthy{bucket=\"fixed\"} 1.0");
    assertThat(JSON.readTree(health(0, "fixed").body())).isEqualTo(passed);
    assertThat(admin(0).get("/admin/credential-health", admin).body())
        .isEqualTo(admin(1).get("/admin/credential-health", admin).body());
    assertThat(metrics(0) + metrics(1)).doesNotContain(SECRET);

    // Suspended, the bucket leaves both replicas' gauges, whichever replica suspended it.
    assertThat(admin(1).delete("/admin/buckets/fixed", admin).status()).isEqualTo(200);
    for (int replica : List.of(0, 1)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (metrics(replica).contains("bucket=\"fixed\"")) {
        assertThat(System.nanoTime()).as("replica %d forgets it", replica).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(health(replica, "fixed").status()).isEqualTo(404);
    }
  }

  /** 5,000 buckets under one role were 5,000 AssumeRole calls in every run. */
  @Test
  void aDriftRunReadsASourceSharedByManyBucketsOnce() throws Exception {
    create("shares-a");
    for (String name : List.of("shares-b", "shares-c")) {
      AdminHttp.Response created = admin(0).post("/admin/buckets", admin, "{\"name\": \""
          + name + "\", \"provider\": \"s3_compatible\", \"region\": \"us-east-1\","
          + " \"endpoint\": \"" + storage.endpoint() + "\", \"auth_mode\": \"static\","
          + " \"secret_ref\": \"buckets/shares-a.json\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
    // The other tests' buckets are read too, each from its own source, while active.
    int otherSources = admin(0).get("/admin/buckets/drifted", admin).status() == 200 ? 1 : 0;
    double before = credentialLoads(0);

    cluster.replica(0).driftCheck().run();

    assertThat(credentialLoads(0) - before).isEqualTo(1 + otherSources);
    for (String name : List.of("shares-a", "shares-b", "shares-c")) {
      assertThat(JSON.readTree(health(0, name).body()).get("healthy").asBoolean()).as(name)
          .isTrue();
    }
  }

  private static double credentialLoads(int replica) {
    return metrics(replica).lines()
        .filter(line -> line.startsWith("gateway_credentials_loads_total{")
            && line.contains("outcome=\"success\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void theScheduledDriftCheckRunsOnTheOldestControlPlaneOnly() throws Exception {
    create("drifted");

    assertThat(cluster.replica(1).driftCheck().runOnSchedule()).isFalse();
    assertThat(health(0, "drifted").status()).isEqualTo(404);

    assertThat(cluster.replica(0).driftCheck().runOnSchedule()).isTrue();
    awaitMetrics(1, "gateway_bucket_credentials_healthy{bucket=\"drifted\"} 1.0");
    assertThat(health(1, "drifted").status()).isEqualTo(200);
  }
}
