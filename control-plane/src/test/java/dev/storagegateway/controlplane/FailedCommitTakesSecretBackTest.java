package dev.storagegateway.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.storagegateway.controlplane.credentials.SecretProvisioning;
import dev.storagegateway.controlplane.registry.BucketRegistry;
import dev.storagegateway.controlplane.registry.CreationStep;
import dev.storagegateway.controlplane.registry.ProjectQuota;
import dev.storagegateway.controlplane.registry.Undo;
import dev.storagegateway.controlplane.store.AuditTrail;
import dev.storagegateway.controlplane.store.BucketStore;
import dev.storagegateway.controlplane.store.RegistryStorageException;
import dev.storagegateway.controlplane.store.Transactions;
import dev.storagegateway.registry.AuthMode;
import dev.storagegateway.registry.Bucket;
import dev.storagegateway.registry.Provider;
import dev.storagegateway.registry.RegistryCluster;
import dev.storagegateway.secrets.SecretPayload;
import dev.storagegateway.testlogging.CapturedLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code create_secret} whose bucket row fails to commit, after the secret was written to the
 * backend (the file one): a constraint PostgreSQL checks at commit refuses the row, or the
 * connection is cut during the commit. The secret the request wrote is deleted; one that was
 * there before it is not.
 */
class FailedCommitTakesSecretBackTest {
  private static final String SECRET_KEY = "failed-commit-secret-71ad";

  @TempDir
  static Path dataDirectory;
  static TestRegistryCluster cluster;
  static AdminHttp http;
  static String admin;
  static Path secrets;

  private CapturedLogs logs;

  @BeforeAll
  static void start() {
    cluster = new TestRegistryCluster(dataDirectory.resolve("pg"), 1);
    http = new AdminHttp(cluster.adminUrl(0));
    admin = cluster.token("admin");
    secrets = dataDirectory.resolve("pg-secrets");
    // Checked at commit, after the request's secret was written: PostgreSQL's deferred
    // constraint triggers run then.
    cluster.execute("""
        CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.name LIKE 'refused-at-commit-%' THEN
            RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation';
          END IF;
          IF NEW.name LIKE 'cut-off-at-commit-%' THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
            PERFORM pg_sleep(10);
          END IF;
          RETURN NULL;
        END $$""");
    cluster.execute("CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON buckets"
        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.root();
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  private static String withSecret(String name) {
    return """
        {"name": "%s", "provider": "s3_compatible", "endpoint": "https://s3.example.org",
         "auth_mode": "static", "create_secret": true,
         "secret_payload": {"access_key_id": "AKIACOMMIT0001", "secret_access_key": "%s"}}
        """.formatted(name, SECRET_KEY);
  }

  private static Path secretOf(String name) {
    return secrets.resolve("buckets/" + name + ".json");
  }

  @Test
  void aRowRefusedAtCommitTakesItsSecretBack() {
    String name = "refused-at-commit-1";

    AdminHttp.Response refused = http.post("/admin/buckets", admin, withSecret(name));

    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("unavailable");
    assertThat(refused.body()).contains("the registry database refused the change: it breaks"
        + " one of the database's integrity rules (SQLState 23514)", "the change was not made")
        .doesNotContain("cannot be reached");
    assertThat(http.get("/admin/buckets/" + name, admin).status()).isEqualTo(404);
    assertThat(secretOf(name)).doesNotExist();
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains(
        "deleted secret 'buckets/" + name + ".json' in file: bucket '" + name + "', which it"
            + " was written for, failed to register");
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains(SECRET_KEY));
  }

  @Test
  void aConnectionCutDuringTheCommitTakesItsSecretBack() {
    String name = "cut-off-at-commit-1";

    AdminHttp.Response cutOff = http.post("/admin/buckets", admin, withSecret(name));

    assertThat(cutOff.status()).as(cutOff.body()).isEqualTo(503);
    assertThat(cutOff.errorCode()).isEqualTo("unavailable");
    assertThat(cutOff.body()).contains("the registry database cannot be reached or failed");
    assertThat(http.get("/admin/buckets/" + name, admin).status()).isEqualTo(404);
    assertThat(secretOf(name)).doesNotExist();
  }

  /**
   * While this creation's commit fails, another bucket committed naming the secret it wrote (a
   * creation with the same secret_ref and keys adopts it): taking the secret back would break
   * that bucket, so it stays. The other row is written straight into the table here, committed
   * from inside this creation's step, where a real adopter would come in between.
   */
  @Test
  void aSecretAnotherBucketNowNamesStays() throws IOException {
    String name = "refused-at-commit-3";
    String reference = "buckets/shared-by-two.json";
    BucketRegistry registry = new BucketRegistry(
        new Transactions(cluster.database.dataSource()), new BucketStore(), new AuditTrail(),
        RegistryCluster.buckets(cluster.replica(0).member()), cluster.registryKeys.signer(),
        cluster.validator, Clock.systemUTC());
    Path written = secrets.resolve(reference);
    Bucket candidate = Bucket.builder().name(name).provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.STATIC).secretRef(reference)
        .build();

    assertThatThrownBy(() -> registry.create("admin", candidate, ProjectQuota.NONE, bucket -> {
      writeSecret(written);
      cluster.execute("INSERT INTO buckets (id, name, provider, endpoint, auth_mode, secret_ref,"
          + " status, allowed_ops, created_at, updated_at, revision) VALUES"
          + " (gen_random_uuid(), 'adopter-of-shared', 's3_compatible', 'https://s3.example.org',"
          + " 'static', '" + reference + "', 'active', ARRAY['read'], now(), now(), 1)");
      return new Undo() {
        @Override
        public void run() {
          deleteSecret(written);
        }

        @Override
        public void leave(String why) {
        }
      };
    })).isInstanceOf(RuntimeException.class);

    assertThat(written).exists();
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains("bucket '"
        + name + "' failed to commit, and what its creation wrote outside the database stays:"
        + " another bucket's row names secret '" + reference + "' (it was adopted by a"
        + " creation with the same keys)");
  }

  /**
   * A creation adopting the secret a failing one wrote, while the failing one takes it back: the
   * adopter has its row in and has found the secret, and has not committed, when the take-back
   * asks whether another row names the secret. Held by the adopter, the reference's lock makes
   * the take-back wait for that commit and see its row; without the lock it would see none and
   * delete the secret the adopter then commits naming. Each side goes on once the other waits
   * on a lock or is done: the interleaving is the database's, no sleep picks it.
   */
  @Test
  @Timeout(60)
  void aSecretAdoptedWhileItIsTakenBackStays() throws Exception {
    String reference = "buckets/adopted-while-taken-back.json";
    BucketRegistry registry = cluster.replica(0).registry();
    SecretProvisioning provisioning = new SecretProvisioning(
        cluster.replica(0).credentials().stores(),
        cluster.replica(0).credentials().provider().sources());
    SecretPayload keys = SecretPayload.of(
        Map.of("access_key_id", "AKIAADOPTED0001", "secret_access_key", SECRET_KEY));
    CountDownLatch adopted = new CountDownLatch(1);
    CountDownLatch failingDone = new CountDownLatch(1);
    AtomicReference<Undo> adoptersUndo = new AtomicReference<>();
    AtomicReference<CompletableFuture<Bucket>> adopter = new AtomicReference<>();
    CreationStep adopt = bucket -> {
      adoptersUndo.set(provisioning.create(bucket, keys));
      adopted.countDown();
      awaitALockWaiterOr(() -> failingDone.getCount() == 0);
      return adoptersUndo.get();
    };

    Throwable failed;
    try {
      failed = catchThrowable(() -> registry.create("admin",
          staticBucket("refused-at-commit-4", reference), ProjectQuota.NONE, bucket -> {
            Undo undo = provisioning.create(bucket, keys);
            adopter.set(CompletableFuture.supplyAsync(() -> registry.create("admin",
                staticBucket("adopter-while-taken-back", reference), ProjectQuota.NONE, adopt)));
            awaitALockWaiterOr(() -> adopted.getCount() == 0);
            return undo;
          }));
    } finally {
      failingDone.countDown();
    }

    assertThat(failed).isInstanceOf(RegistryStorageException.class);
    assertThat(adopter.get().get(30, TimeUnit.SECONDS).secretRef()).isEqualTo(reference);
    assertThat(adoptersUndo.get()).as("the adopter found the secret").isSameAs(Undo.NOTHING);
    assertThat(secrets.resolve(reference)).as("the secret the adopter names").exists();
    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).contains("bucket"
        + " 'refused-at-commit-4' failed to commit, and what its creation wrote outside the"
        + " database stays: another bucket's row names secret '" + reference + "' (it was"
        + " adopted by a creation with the same keys)");
  }

  private static Bucket staticBucket(String name, String secretRef) {
    return Bucket.builder().name(name).provider(Provider.S3_COMPATIBLE)
        .endpoint("https://s3.example.org").authMode(AuthMode.STATIC).secretRef(secretRef)
        .build();
  }

  /**
   * Returns once a transaction waits on an advisory lock (nothing here but the secret
   * reference's takes one) or {@code instead} holds; after 20 s regardless, for the assertions
   * to tell what happened.
   */
  private static void awaitALockWaiterOr(BooleanSupplier instead) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!instead.getAsBoolean() && System.nanoTime() < deadline && cluster.queryLong(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 0) {
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  private static void writeSecret(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "{\"access_key_id\": \"AKIASHARED0001\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteSecret(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A secret holding the same keys is taken as left by an earlier attempt of the same request
   * (docs/secrets.md); this attempt did not write it, so its failure leaves it.
   */
  @Test
  void aSecretThatWasThereBeforeTheRequestStays() throws IOException {
    String name = "refused-at-commit-2";
    String leftBehind = "{\"access_key_id\": \"AKIACOMMIT0001\", \"secret_access_key\": \""
        + SECRET_KEY + "\"}";
    Files.createDirectories(secretOf(name).getParent());
    Files.writeString(secretOf(name), leftBehind);

    AdminHttp.Response refused = http.post("/admin/buckets", admin, withSecret(name));

    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(secretOf(name)).hasContent(leftBehind);
  }
}
