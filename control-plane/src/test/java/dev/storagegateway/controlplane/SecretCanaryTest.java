package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.credentials.AwsSettings;
import dev.storagegateway.credentials.CacheSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testlogging.CapturedLogs;
import dev.storagegateway.testlogging.ConsoleCapture;
import dev.storagegateway.testlogging.ShippedLogging;
import dev.storagegateway.testpeers.MotoServer;
import dev.storagegateway.testpeers.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Plants recognisable secrets in every way a client could send them and proves none reaches a
 * database row, the replicated map, a log line, a metric, an error body or the printed form of
 * resolved credentials; keys given to {@code create_secret} reach the secrets backend only.
 */
class SecretCanaryTest {
  private static final String ACCESS_KEY = "AKIACANARY7EXAMPLE12";
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1";
  private static final String PRIVATE_KEY =
      "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCanary"
          + "\\n-----END PRIVATE KEY-----";

  @TempDir
  Path dataDirectory;
  @TempDir
  Path secretsFolder;

  @Test
  void secretMaterialNeverEntersTheRegistryOrItsOutputs() {
    CapturedLogs logs = CapturedLogs.rootAnd(AuditTrail.LOGGER_NAME);
    try (logs; TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
      AdminHttp http = new AdminHttp(cluster.adminUrl(0));
      String admin = cluster.token("admin");
      String base = "\"name\": \"canary-bucket\", \"provider\": \"aws\", "
          + "\"auth_mode\": \"static\", "
          + "\"secret_ref\": \"gen3/canary\"";
      List<String> attempts = List.of(
          "{" + base + ", \"aws_access_key_id\": \"" + ACCESS_KEY + "\"}",
          "{" + base + ", \"aws_secret_access_key\": \"" + SECRET_KEY + "\"}",
          "{" + base + ", \"labels\": {\"key\": \"" + ACCESS_KEY + "\"}}",
          "{" + base + ", \"labels\": {\"note\": \"" + SECRET_KEY + "\"}}",
          "{" + base + ", \"external_id\": \"" + SECRET_KEY + "\"}",
          "{" + base + ", \"region\": \"" + PRIVATE_KEY + "\"}",
          "{" + base + ", \"secret_ref\": \"" + ACCESS_KEY + "\"}",
          "{" + base + ", \"labels\": {\"sa\": \"{\\\"type\\\": \\\"service_account\\\", "
              + "\\\"private_key\\\": \\\"" + SECRET_KEY + "\\\"}\"}}",
          "{" + base + ", \"region\": \"" + SECRET_KEY + "\" ",
          "{" + base + ", \"region\": " + SECRET_KEY + "}");
      for (String attempt : attempts) {
        AdminHttp.Response response = http.post("/admin/buckets", admin, attempt);
        assertThat(response.status()).as(attempt).isEqualTo(400);
        assertNoCanary(response.body());
      }
      http.post("/admin/buckets", admin, "{" + base + "}");
      AdminHttp.Response patch = http.patch("/admin/buckets/canary-bucket", admin,
          "{\"labels\": {\"k\": \"" + SECRET_KEY + "\"}}");
      assertThat(patch.status()).isEqualTo(400);
      assertNoCanary(patch.body());

      assertNoCanary(cluster.dumpAllRows());
      assertNoCanary(String.valueOf(RegistryCluster.buckets(cluster.replica(0).member()).values()));
      assertThat(cluster.count("buckets")).isEqualTo(1);
    }
    logs.everything().forEach(SecretCanaryTest::assertNoCanary);
  }

  @Test
  void keysHandedToCreateSecretReachTheBackendAndNothingElse() throws Exception {
    CapturedLogs logs = CapturedLogs.rootAnd(AuditTrail.LOGGER_NAME);
    List<String> outputs = new ArrayList<>();
    try (logs; TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
      AdminHttp http = new AdminHttp(cluster.adminUrl(0));
      String admin = cluster.token("admin");
      String bucket = "\"name\": \"canary-keys\", \"provider\": \"s3_compatible\","
          + " \"endpoint\": \"https://s3.example.org\", \"auth_mode\": \"static\"";
      String payload = "{\"access_key_id\": \"" + ACCESS_KEY + "\", \"secret_access_key\": \""
          + SECRET_KEY + "\"}";
      List<AdminHttp.Response> responses = new ArrayList<>(List.of(
          http.post("/admin/buckets", admin, "{" + bucket + ", \"create_secret\": true,"
              + " \"secret_payload\": {\"access_key_id\": \"" + ACCESS_KEY + "\","
              + " \"password\": \"" + SECRET_KEY + "\"}}"),
          http.post("/admin/buckets", admin, "{" + bucket + ", \"create_secret\": true,"
              + " \"secret_payload\": {\"access_key_id\": [\"" + ACCESS_KEY + "\"]}}"),
          http.post("/admin/buckets", admin, "{" + bucket + ", \"secret_payload\": " + payload
              + "}"),
          http.post("/admin/buckets", admin, "{" + bucket + ", \"create_secret\": true,"
              + " \"secret_payload\": " + payload + "}")));
      assertThat(responses.get(3).status()).as(responses.get(3).body()).isEqualTo(201);
      responses.add(http.post("/admin/buckets", admin, "{" + bucket + ", \"create_secret\":"
          + " true, \"secret_payload\": " + payload + "}"));
      responses.add(http.get("/admin/buckets/canary-keys", admin));
      responses.add(http.post("/admin/buckets/canary-keys/validate", admin, ""));
      responses.add(http.post("/admin/buckets/canary-keys/rotate", admin, ""));
      responses.add(http.get("/admin/buckets/canary-keys/credential-health", admin));
      responses.add(http.get("/admin/credential-health", admin));
      AdminHttp.Response audit = http.get("/admin/buckets/canary-keys/audit", admin);
      assertThat(audit.body()).contains("bucket.create", "bucket.rotate_credentials");
      responses.add(audit);
      cluster.replica(0).driftCheck().run();
      // A secret of the wrong shape: the error names the field, never the content.
      Files.writeString(cluster.credentials.secretsFolder().resolve("buckets/canary-keys.json"),
          "{\"access_key_id\": \"" + ACCESS_KEY + "\", \"secret\": \"" + SECRET_KEY + "\"}");
      responses.add(http.post("/admin/buckets/canary-keys/validate", admin, ""));
      assertThat(responses.get(responses.size() - 1).body()).contains("secret_access_key");
      responses.add(new AdminHttp(cluster.metricsUrl(0)).get("/metrics", null));
      responses.forEach(response -> outputs.add(response.body()));

      outputs.add(cluster.dumpAllRows());
      outputs.add(String.valueOf(RegistryCluster.buckets(cluster.replica(0).member()).values()));
      // What Envoy is served: the bucket's routes and cluster, and never its keys. A build may
      // wait half a second after the last one (SnapshotPublisher.BURST_GAP).
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      io.envoyproxy.controlplane.cache.v3.Snapshot served =
          cluster.replica(0).xds().snapshot("ingress");
      while (!served.routes().resources().toString().contains("canary-keys")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
        served = cluster.replica(0).xds().snapshot("ingress");
      }
      assertThat(served.routes().resources().toString()).contains("canary-keys");
      outputs.add(served.routes().resources().toString());
      outputs.add(served.clusters().resources().toString());
      outputs.add(served.listeners().resources().toString());
      Files.writeString(cluster.credentials.secretsFolder().resolve("buckets/canary-keys.json"),
          payload);
      Bucket registered = cluster.replicated("canary-keys");
      // The file watcher drops the failed shape too, but in its own time.
      cluster.replica(0).credentials().provider().cache().invalidate(
          cluster.replica(0).credentials().provider().sources().keysOf(registered));
      outputs.add(String.valueOf(cluster.replica(0).credentials().provider().credentialsFor(
          registered, new AccessPurpose("canary", "test"))));
    }
    outputs.addAll(logs.everything());
    outputs.forEach(SecretCanaryTest::assertNoCanary);
  }

  /**
   * create_secret sends the keys to Secrets Manager (moto) through the AWS SDK's Apache client,
   * whose wire log below INFO prints every request body, and the validation signs with them. With
   * the control plane's shipped logging at INFO, and at TRACE in text and in JSON lines, neither
   * the keys nor the administrator's token reach a log event or a byte written to the console.
   */
  @ParameterizedTest(name = "GATEWAY_LOG_LEVEL={0} GATEWAY_LOG_FORMAT={1}")
  @CsvSource({"INFO, text", "TRACE, text", "TRACE, json"})
  void keysSentToSecretsManagerReachNoLogAtAnyLevel(String level, String format)
      throws Exception {
    List<String> secrets = new ArrayList<>(List.of(SECRET_KEY));
    List<String> logged;
    List<ILoggingEvent> events;
    ConsoleCapture console = ConsoleCapture.start();
    // The control plane's own AWS identity, from the default chain, for Secrets Manager.
    System.setProperty("aws.accessKeyId", "AKIACONTROLPLANECANARY");
    System.setProperty("aws.secretAccessKey", "control-plane-identity");
    try (console; ShippedLogging shipped = ShippedLogging.at(level, format);
        MotoServer moto = MotoServer.start();
        S3ProxyServer storage = S3ProxyServer.start(ACCESS_KEY, SECRET_KEY)) {
      try (S3Client s3 = S3Client.builder().endpointOverride(storage.endpoint())
          .region(Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build()) {
        s3.createBucket(b -> b.bucket("canary-managed"));
      }
      CapturedLogs logs = CapturedLogs.rootAnd(AuditTrail.LOGGER_NAME);
      try (logs; TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1,
          new BucketValidator(new EndpointPolicy(true, List.of("127.0.0.0/8"),
              TestRegistryCluster.RESOLVER), "file"), secretsManager(moto, secretsFolder))) {
        AdminHttp http = new AdminHttp(cluster.adminUrl(0));
        String admin = cluster.token("admin");
        secrets.add(admin);
        AdminHttp.Response created = http.post("/admin/buckets", admin, "{\"name\":"
            + " \"canary-managed\", \"provider\": \"s3_compatible\", \"region\": \"us-east-1\","
            + " \"endpoint\": \"" + storage.endpoint() + "\", \"auth_mode\": \"static\","
            + " \"owner_project\": \"" + TestRegistryCluster.OWNER_PROJECT + "\","
            + " \"secrets_backend\": \"aws-secrets-manager\", \"secret_ref\":"
            + " \"gen3/canary-" + level + "-" + format + "\", \"create_secret\": true,"
            + " \"secret_payload\": {\"access_key_id\": \"" + ACCESS_KEY + "\","
            + " \"secret_access_key\": \"" + SECRET_KEY + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        AdminHttp.Response validated =
            http.post("/admin/buckets/canary-managed/validate", admin, "");
        assertThat(new ObjectMapper().readTree(validated.body()).path("healthy").asBoolean())
            .as("validated with the keys read back from Secrets Manager: %s", validated.body())
            .isTrue();
      }
      logged = logs.everything();
      events = logs.events();
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    List<String> forms = new ArrayList<>(secrets);
    secrets.forEach(secret ->
        forms.add(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))));
    assertThat(logged).allSatisfy(line -> assertThat(line).doesNotContain(forms));
    // Both streams were read, or their search proves nothing: the create's audit line goes to
    // standard output, the admin API's access lines to standard error with the diagnostics.
    assertThat(console.text()).doesNotContain(forms)
        .as("the create's audit line, on standard output").contains("canary-managed")
        .as("the admin API's access lines, on standard error")
        .contains(format.equals("json") ? "\"api\":\"admin\"" : " access - api=admin ");
    long belowInfo = events.stream()
        .filter(event -> !event.getLevel().isGreaterOrEqual(Level.INFO)).count();
    assertThat(belowInfo).as("events below INFO").matches(count ->
        level.equals("INFO") ? count == 0 : count > 0);
  }

  private static CredentialsConfig secretsManager(MotoServer moto, Path secretsFolder) {
    return new CredentialsConfig(SecretsBackend.FILE,
        Set.of(SecretsBackend.FILE, SecretsBackend.AWS_SECRETS_MANAGER),
        secretsFolder, CacheSettings.DEFAULTS,
        new AwsSettings(Region.US_EAST_1, moto.endpoint(), moto.endpoint(),
            AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME), Map.of());
  }

  private static void assertNoCanary(String text) {
    assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY)
        .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCanary");
  }
}
