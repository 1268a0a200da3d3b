package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.controlplane.validation.BucketValidator;
import dev.storagegateway.controlplane.validation.EndpointPolicy;
import dev.storagegateway.credentials.AwsSettings;
import dev.storagegateway.credentials.CacheSettings;
import dev.storagegateway.credentials.CredentialsConfig;
import dev.storagegateway.secrets.SecretsBackend;
import dev.storagegateway.testpeers.SilentServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * Secrets Manager accepts connections and never answers while {@code create_secret} requests
 * arrive. Each one that writes holds a database connection until the backend answers; the
 * requests beyond a few are refused after a short wait that holds no connection, so the rest of
 * the admin API keeps its connections, and the ones that waited leave nothing behind.
 */
class HungSecretsBackendTest {
  private static final int REQUESTS = 10;

  @TempDir
  static Path temp;

  private static SilentServer hung;
  private static TestRegistryCluster cluster;
  private static AdminHttp http;

  @BeforeAll
  static void start() {
    // The management plane's own AWS identity, from the default chain as IRSA would give it.
    System.setProperty("aws.accessKeyId", "AKIACONTROLPLANE1");
    System.setProperty("aws.secretAccessKey", "control-plane-secret");
    hung = SilentServer.start();
    CredentialsConfig secrets = secretsManagerAt(hung);
    cluster = new TestRegistryCluster(temp.resolve("db"), 1, new BucketValidator(
        new EndpointPolicy(true, List.of("127.0.0.0/8"), TestRegistryCluster.RESOLVER), secrets),
        secrets);
    http = new AdminHttp(cluster.adminUrl(0));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    hung.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static CredentialsConfig secretsManagerAt(SilentServer server) {
    return new CredentialsConfig(SecretsBackend.AWS_SECRETS_MANAGER,
        Set.of(SecretsBackend.AWS_SECRETS_MANAGER),
        temp.resolve("secrets"), CacheSettings.DEFAULTS,
        new AwsSettings(Region.US_EAST_1, server.endpoint(), server.endpoint(),
            AwsSettings.DEFAULT_SESSION, AwsSettings.DEFAULT_SESSION_NAME), Map.of());
  }

  private static String withSecret(String name, String project) {
    return "{\"name\": \"" + name + "\", \"provider\": \"s3_compatible\", \"region\":"
        + " \"us-east-1\", \"endpoint\": \"http://127.0.0.1:9000\", \"auth_mode\": \"static\","
        + " \"owner_project\": \"" + project + "\", \"create_secret\": true,"
        + " \"secret_payload\": {\"access_key_id\": \"AKIAHUNG00001\","
        + " \"secret_access_key\": \"hung-secret\"}}";
  }

  @Test
  void requestsBeyondTheSlotsAreRefusedSoonAndTheApiKeepsAnswering() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
    try {
      String admin = cluster.token("admin");
      List<Future<AdminHttp.Response>> creations = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String body = withSecret("hung-" + i, TestRegistryCluster.OWNER_PROJECT);
        creations.add(clients.submit(() -> http.post("/admin/buckets", admin, body)));
      }

      List<AdminHttp.Response> refused = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      while (refused.size() < REQUESTS - 2 && System.nanoTime() < deadline) {
        refused.clear();
        for (Future<AdminHttp.Response> creation : creations) {
          if (creation.isDone()) {
            refused.add(creation.get());
          }
        }
        Thread.sleep(50);
      }
      assertThat(refused).as("answered while the backend hangs").hasSize(REQUESTS - 2)
          .allSatisfy(response -> {
            assertThat(response.status()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("the secrets backends are slow: 2"
                + " create_secret requests are waiting on them");
            assertThat(response.raw().headers().firstValue("Retry-After")).hasValue("12");
          });

      AdminHttp.Response listed = http.get("/admin/buckets", admin);
      assertThat(listed.status()).as(listed.body()).isEqualTo(200);
      assertThat(creations.stream().filter(Future::isDone)).as("still waiting on the backend")
          .hasSize(REQUESTS - 2);

      for (Future<AdminHttp.Response> creation : creations) {
        AdminHttp.Response answer = creation.get(60, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
      }
      assertThat(creations.stream().map(this::body))
          .filteredOn(body -> body.contains("aws-secrets-manager could not be reached"))
          .hasSize(2);
      for (int i = 0; i < REQUESTS; i++) {
        assertThat(http.get("/admin/buckets/hung-" + i, admin).status()).isEqualTo(404);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * A project owner's creation holds its project's lock while it waits on the backend; another
   * creation in the project waits behind it for the lock, holding a connection, for 2 s at most.
   */
  @Test
  void aCreationWaitsBrieflyBehindAnotherInItsProject() throws Exception {
    String owner = cluster.token("thronged");
    String project = TestRegistryCluster.THRONGED_PROJECT;
    ExecutorService clients = Executors.newSingleThreadExecutor();
    try {
      int attemptsBefore = hung.connections();
      Future<AdminHttp.Response> first = clients.submit(() ->
          http.post("/admin/buckets", owner, withSecret("holds-the-lock", project)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      while (hung.connections() == attemptsBefore && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(hung.connections()).as("the first creation reached the backend")
          .isGreaterThan(attemptsBefore);

      AdminHttp.Response second =
          http.post("/admin/buckets", owner, withSecret("waits-for-it", project));

      assertThat(second.status()).as(second.body()).isEqualTo(503);
      assertThat(second.body()).contains("has held its lock for over 2 s");
      assertThat(second.raw().headers().firstValue("Retry-After")).hasValue("12");
      assertThat(first).as("the first still waits on the backend").isNotDone();
      assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(503);
      assertThat(cluster.queryLong("SELECT count(*) FROM buckets WHERE owner_project = '"
          + project + "'")).isZero();
    } finally {
      clients.shutdownNow();
    }
  }

  private String body(Future<AdminHttp.Response> answered) {
    try {
      return answered.get().body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
