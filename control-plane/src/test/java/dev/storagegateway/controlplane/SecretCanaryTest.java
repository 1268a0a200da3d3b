package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.storagegateway.credentials.AccessPurpose;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.RegistryCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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

  @Test
  void secretMaterialNeverEntersTheRegistryOrItsOutputs() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try (TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
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
    } finally {
      root.detachAppender(logs);
    }
    for (ILoggingEvent event : logged(logs)) {
      assertNoCanary(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        assertNoCanary(event.getThrowableProxy().getMessage());
      }
    }
  }

  @Test
  void keysHandedToCreateSecretReachTheBackendAndNothingElse() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    List<String> outputs = new ArrayList<>();
    try (TestRegistryCluster cluster = new TestRegistryCluster(dataDirectory, 1)) {
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
      // What Envoy is served: the bucket's routes and cluster, and never its keys.
      io.envoyproxy.controlplane.cache.v3.Snapshot served =
          cluster.replica(0).xds().snapshot("ingress");
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
    } finally {
      root.detachAppender(logs);
    }
    for (ILoggingEvent event : logged(logs)) {
      outputs.add(event.getFormattedMessage());
      for (IThrowableProxy cause = event.getThrowableProxy(); cause != null;
          cause = cause.getCause()) {
        outputs.add(cause.getMessage());
      }
    }
    outputs.forEach(SecretCanaryTest::assertNoCanary);
  }

  private static void assertNoCanary(String text) {
    assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY)
        .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCanary");
  }

  /**
   * What the appender holds, copied under its lock: a background thread (the snapshot publisher,
   * Hazelcast) that picked the appender before it was detached may still be adding to the list.
   */
  private static List<ILoggingEvent> logged(ListAppender<ILoggingEvent> logs) {
    synchronized (logs) {
      return List.copyOf(logs.list);
    }
  }
}
